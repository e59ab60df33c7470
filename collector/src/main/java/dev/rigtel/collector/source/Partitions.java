package dev.rigtel.collector.source;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collection;
import java.util.zip.CRC32;

/**
 * Cluster mode's two hashes, the same in every JVM and on every machine (neither depends on {@code
 * String.hashCode} or on the order members were seen in):
 *
 * <ul>
 *   <li>a rig's partition: CRC-32 (IEEE 802.3, {@link CRC32}) of the UTF-8 rig id, mod P;
 *   <li>a partition's owner: rendezvous (highest random weight) hashing over the live members; the
 *       weight of member m for partition k is the first 8 bytes of SHA-256 of the UTF-8 text {@code
 *       "m/k"}, as a signed big-endian long. Every member computes the same owner from the same view,
 *       and a join or a leave moves only the partitions the joiner wins or the leaver had.
 * </ul>
 */
public final class Partitions {

    private Partitions() {}

    /** The partition of {@code rig} among {@code partitions}: CRC-32 of its UTF-8 id, mod P. */
    public static int of(String rig, int partitions) {
        CRC32 crc = new CRC32();
        crc.update(rig.getBytes(StandardCharsets.UTF_8));
        return (int) (crc.getValue() % partitions);
    }

    /** Rendezvous weight of {@code member} for {@code partition}. */
    static long weight(String member, int partition) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest((member + "/" + partition).getBytes(StandardCharsets.UTF_8));
            return ByteBuffer.wrap(digest, 0, 8).getLong();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JRE", e);
        }
    }

    /**
     * The owner of {@code partition} among {@code members}: the highest weight, ties (never seen in
     * practice) to the smaller member id. Null without members.
     */
    public static String owner(int partition, Collection<String> members) {
        String best = null;
        long bestWeight = 0;
        for (String member : members) {
            long w = weight(member, partition);
            if (best == null || w > bestWeight || (w == bestWeight && member.compareTo(best) < 0)) {
                best = member;
                bestWeight = w;
            }
        }
        return best;
    }
}
