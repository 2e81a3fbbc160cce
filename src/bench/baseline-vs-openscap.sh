#!/usr/bin/env bash
# The agent's CIS checks beside OpenSCAP's (openscap-scanner, ssg-debderived's Ubuntu 22.04 CIS Level 1 server
# profile, through OSCAP_PROBE_ROOT) on the same host roots: a hardened and a weak fixture host, and a copy of
# this machine's /etc and dpkg database. Prints, rule by rule for the rules both cover (the mapping is
# baseline-openscap-map.tsv), where they agree and where they differ, then checks decided, agreement, CPU and
# memory of both. Needs: apt-get install openscap-scanner ssg-debderived.
set -euo pipefail
cd "$(dirname "$0")/../.."
ds=/usr/share/xml/scap/ssg/content/ssg-ubuntu2204-ds.xml
[ -f "$ds" ] || { echo "needs: apt-get install openscap-scanner ssg-debderived"; exit 2; }
mvn -q -B test-compile dependency:build-classpath -Dmdep.outputFile=target/bench-classpath.txt -Dmdep.includeScope=test
cp="target/test-classes:target/classes:$(cat target/bench-classpath.txt)"
work=$(mktemp -d)
mkdir -p "$work/machine/var/lib/dpkg"
cp -a /etc "$work/machine/" 2>/dev/null || true
cp /var/lib/dpkg/status "$work/machine/var/lib/dpkg/status"
/usr/bin/time -f "%U %S %M" -o "$work/agent.time" \
  java -cp "$cp" io.microagent.collect.baseline.BaselineComparison "$work" > "$work/agent.tsv"
for root in hardened weak machine; do
  # OpenSCAP's content is for Ubuntu 22.04: the roots say they are, or every rule is "notapplicable".
  rm -f "$work/$root/etc/os-release" "$work/$root/etc/lsb-release"
  printf 'NAME="Ubuntu"\nID=ubuntu\nVERSION_ID="22.04"\nVERSION_CODENAME=jammy\n' > "$work/$root/etc/os-release"
  printf 'DISTRIB_ID=Ubuntu\nDISTRIB_RELEASE=22.04\nDISTRIB_CODENAME=jammy\n' > "$work/$root/etc/lsb-release"
  OSCAP_PROBE_ROOT="$work/$root" /usr/bin/time -f "%U %S %M" -o "$work/oscap-$root.time" \
    oscap xccdf eval --profile xccdf_org.ssgproject.content_profile_cis_level1_server \
    --results "$work/oscap-$root.xml" "$ds" > /dev/null 2>&1 || true
done
python3 - "$work" src/bench/baseline-openscap-map.tsv <<'PY'
import sys, re, collections
work, mapping = sys.argv[1], sys.argv[2]
ours = collections.defaultdict(dict)
for line in open(f"{work}/agent.tsv"):
    root, check, result = line.rstrip("\n").split("\t")
    ours[root][check.rsplit("-", 1)[1]] = result
rules = {}
for line in open(mapping):
    if line.startswith("#") or not line.strip(): continue
    section, names = line.rstrip("\n").split("\t")
    rules[section] = names.split()
total = collections.Counter()
for root in ("hardened", "weak", "machine"):
    xml = open(f"{work}/oscap-{root}.xml").read()
    theirs = dict(re.findall(r'<rule-result[^>]*idref="xccdf_org\.ssgproject\.content_rule_([^"]+)"[^>]*>.*?<result>(\w+)</result>', xml, re.S))
    print(f"== {root}")
    for section, names in rules.items():
        results = [theirs.get(n, "absent") for n in names]
        mine = ours[root].get(section, "absent")
        if any(r not in ("pass", "fail") for r in results) or mine not in ("PASS", "FAIL"):
            verdict = "not both decided"
            total[root + " undecided"] += 1
        else:
            theirs_v = "PASS" if all(r == "pass" for r in results) else "FAIL"
            verdict = "agree" if theirs_v == mine else f"DIFFER (agent {mine}, OpenSCAP {theirs_v})"
            total[root + (" agree" if theirs_v == mine else " differ")] += 1
        print(f"{section:10} agent={mine:5} openscap={','.join(results):30} {verdict}")
    decided = sum(1 for r in theirs.values() if r in ("pass", "fail"))
    print(f"OpenSCAP decided {decided} of {len(theirs)} rules; the agent decided "
          f"{sum(1 for v in ours[root].values() if v in ('PASS','FAIL'))} of {len(ours[root])} checks")
print(dict(total))
PY
echo "agent (JVM, three roots): user+sys s and max RSS KB: $(cat "$work/agent.time")"
for root in hardened weak machine; do echo "oscap $root: user+sys s and max RSS KB: $(cat "$work/oscap-$root.time")"; done
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB; $(oscap --version | head -1); $(date -u +%F)"
rm -rf "$work"
