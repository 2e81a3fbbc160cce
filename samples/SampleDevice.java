import java.time.Instant;
import java.util.Locale;
import java.util.Random;

/**
 * A stand-in device application: it reads a "sensor" every few seconds and prints the telemetry it would send.
 * The agent rides along with -javaagent and prints its security messages (Output_Stdout) beside it.
 * Arguments: how many seconds to run (default 45).
 */
public final class SampleDevice {
    public static void main(String[] args) throws InterruptedException {
        long seconds = args.length > 0 ? Long.parseLong(args[0]) : 45;
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        Random sensor = new Random();
        while (System.nanoTime() < end) {
            System.out.printf(Locale.ROOT, "device telemetry: {\"temperature\":%.1f,\"at\":\"%s\"}%n",
                    20 + sensor.nextGaussian(), Instant.now());
            Thread.sleep(3000);
        }
        System.out.println("device: done after " + seconds + " s; the agent flushes what is pending at exit");
    }
}
