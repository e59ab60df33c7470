package dev.rigtel.collector.source;

import java.time.Duration;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Cluster mode ({@code --source-group}): several collectors share the rigs of one external broker,
 * one owner per rig (collector README, "Cluster mode").
 *
 * @param group the group's name: its topics and its sessions' client ids are named after it
 * @param member this collector's id in the group; the same across its restarts
 * @param partitions P, the rigs are split into: the same in every member
 * @param rigs the roster given with {@code --source-rigs}
 * @param settle how long a member waits before it takes a partition a live peer gives up
 * @param handoverWait how long a member giving a partition up waits for its acknowledgements
 */
public record ClusterOptions(
        String group, String member, int partitions, Set<String> rigs, Duration settle, Duration handoverWait) {

    public static final int DEFAULT_PARTITIONS = 16;
    public static final Duration DEFAULT_SETTLE = Duration.ofSeconds(1);
    public static final Duration DEFAULT_HANDOVER_WAIT = Duration.ofSeconds(2);

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,40}");

    public ClusterOptions {
        if (group == null || !NAME.matcher(group).matches()) {
            throw new IllegalArgumentException(
                    "--source-group must be 1 to 40 letters, digits, '.', '_' or '-', not '" + group + "'");
        }
        if (member == null || !NAME.matcher(member).matches()) {
            throw new IllegalArgumentException(
                    "--source-member-id must be 1 to 40 letters, digits, '.', '_' or '-', not '" + member + "'");
        }
        if (partitions < 1 || partitions > 1024) {
            throw new IllegalArgumentException("--source-partitions must be 1 to 1024, not " + partitions);
        }
        rigs = Set.copyOf(rigs);
    }

    public ClusterOptions(String group, String member, int partitions, Set<String> rigs) {
        this(group, member, partitions, rigs, DEFAULT_SETTLE, DEFAULT_HANDOVER_WAIT);
    }

    /** The client id of partition {@code k}'s persistent session, shared by whoever owns it. */
    public String partitionClientId(int k) {
        return "rigtel-" + group + "-p" + k;
    }

    /** The client id of this member's control session (membership, slate, discovery). */
    public String controlClientId() {
        return "rigtel-" + group + "-m-" + member;
    }

    /** The client id of this member's slate session (persistent: slate events it missed while down). */
    public String slateClientId() {
        return "rigtel-" + group + "-s-" + member;
    }

    /** The default member id: the default client id, derived from the host name. */
    public static String defaultMember() {
        String id = SourceOptions.defaultClientId();
        return id.length() > 40 ? id.substring(id.length() - 40) : id;
    }
}
