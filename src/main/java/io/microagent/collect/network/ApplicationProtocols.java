package io.microagent.collect.network;

import java.util.Map;

/** Well-known service ports, by protocol: the name of what usually runs there, or null. */
public final class ApplicationProtocols {
    private static final Map<Integer, String> TCP = Map.ofEntries(Map.entry(21, "FTP"), Map.entry(22, "SSH"),
            Map.entry(23, "TELNET"), Map.entry(25, "SMTP"), Map.entry(53, "DNS"), Map.entry(80, "HTTP"),
            Map.entry(443, "HTTPS"), Map.entry(502, "MODBUS"), Map.entry(853, "DNS-OVER-TLS"),
            Map.entry(1883, "MQTT"), Map.entry(3389, "RDP"), Map.entry(4840, "OPCUA"), Map.entry(5671, "AMQPS"),
            Map.entry(5672, "AMQP"), Map.entry(8080, "HTTP"), Map.entry(8443, "HTTPS"), Map.entry(8883, "MQTTS"));
    private static final Map<Integer, String> UDP = Map.ofEntries(Map.entry(53, "DNS"), Map.entry(67, "DHCP"),
            Map.entry(68, "DHCP"), Map.entry(123, "NTP"), Map.entry(161, "SNMP"), Map.entry(443, "QUIC"),
            Map.entry(514, "SYSLOG"), Map.entry(5353, "MDNS"), Map.entry(5683, "COAP"));

    private ApplicationProtocols() {
    }

    public static String of(String protocol, int servicePort) {
        return (protocol.equals("UDP") ? UDP : TCP).get(servicePort);
    }
}
