#!/bin/sh
# iot-micro-agent's PAM hook: appends one line per sign-in, sign-out and failed sign-in for the agent to read
# (Login_UsePAM=true). pam_exec runs it with PAM_TYPE, PAM_SERVICE, PAM_USER, PAM_RHOST and PAM_TTY set; its
# parent is the process that signs the user in. "failed" as its argument marks the authentication failure path.
log=${IOT_MICRO_AGENT_PAM_LOG:-/var/log/iot-micro-agent-pam.log}
type=$PAM_TYPE
[ "$1" = failed ] && type=auth_failed
clean() { printf '%s' "$1" | tr -c 'A-Za-z0-9._@:/+-' '_'; }
umask 077
printf '%s type=%s service=%s user=%s rhost=%s tty=%s pid=%s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$(clean "$type")" \
  "$(clean "$PAM_SERVICE")" "$(clean "$PAM_USER")" "$(clean "$PAM_RHOST")" "$(clean "$PAM_TTY")" "$PPID" >> "$log"
exit 0
