package dev.rigtel.collector.broker;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class SubscriptionTreeTest {

    private final SubscriptionTree tree = new SubscriptionTree();

    /** "session filter" pairs, sorted, matching {@code topic}. */
    private List<String> matches(String topic) {
        TreeSet<String> found = new TreeSet<>();
        List<String> all = new ArrayList<>();
        tree.match(topic, (key, s) -> all.add(key + " " + s.filter()));
        found.addAll(all);
        assertThat(all).as("each (session, filter) is reported once").hasSameSizeAs(found);
        return List.copyOf(found);
    }

    private void put(String session, String filter) {
        tree.put(session, Subscription.of(filter, 1));
    }

    @Test
    void matchesExactFiltersOnly() {
        put("a", "sport/tennis");
        put("b", "sport/golf");

        assertThat(matches("sport/tennis")).containsExactly("a sport/tennis");
        assertThat(matches("sport")).isEmpty();
        assertThat(matches("sport/tennis/player1")).isEmpty();
    }

    @Test
    void multiLevelWildcardMatchesItsParentLevel() {
        put("a", "sport/#");

        assertThat(matches("sport")).containsExactly("a sport/#");
        assertThat(matches("sport/tennis/player1")).containsExactly("a sport/#");
        assertThat(matches("sports")).isEmpty();
    }

    @Test
    void singleLevelWildcardDoesNotMatchAnEmptyLeadingLevelAndTheRestWhole() {
        put("plus", "+");
        put("plusplus", "+/+");
        put("slashplus", "/+");

        assertThat(matches("/finance")).containsExactly("plusplus +/+", "slashplus /+");
        assertThat(matches("finance")).containsExactly("plus +");
    }

    @Test
    void wildcardsAtFirstLevelDoNotMatchDollarTopics() {
        put("all", "#");
        put("plus", "+/monitor/Clients");
        put("sys", "$SYS/#");
        put("sysplus", "$SYS/+/Clients");

        assertThat(matches("$SYS/monitor/Clients")).containsExactly("sys $SYS/#", "sysplus $SYS/+/Clients");
        assertThat(matches("$SYS")).containsExactly("sys $SYS/#");
        assertThat(matches("rigs/monitor/Clients")).containsExactly("all #", "plus +/monitor/Clients");
    }

    @Test
    void reportsEveryOverlappingSubscriptionOfASession() {
        put("a", "rigs/+/status");
        put("a", "rigs/#");
        put("a", "#");
        put("b", "rigs/01/status");

        assertThat(matches("rigs/01/status")).containsExactly("a #", "a rigs/#", "a rigs/+/status", "b rigs/01/status");
    }

    @Test
    void putReplacesTheSameSessionsFilterAndCountsItOnce() {
        assertThat(tree.put("a", Subscription.of("x/y", 0))).isTrue();
        assertThat(tree.put("a", Subscription.of("x/y", 2))).isFalse();
        assertThat(tree.put("b", Subscription.of("x/y", 1))).isTrue();

        assertThat(tree.size()).isEqualTo(2);
        List<Integer> qos = new ArrayList<>();
        tree.match("x/y", (key, s) -> {
            if (key.equals("a")) {
                qos.add(s.qos());
            }
        });
        assertThat(qos).containsExactly(2);
    }

    @Test
    void removeDeletesOnlyThatSessionsFilter() {
        put("a", "x/+");
        put("b", "x/+");
        put("a", "x/#");

        assertThat(tree.remove("a", "x/+")).isTrue();
        assertThat(tree.remove("a", "x/+")).isFalse();
        assertThat(tree.remove("c", "x/+")).isFalse();
        assertThat(tree.remove("a", "never/subscribed")).isFalse();

        assertThat(tree.size()).isEqualTo(2);
        assertThat(matches("x/1")).containsExactly("a x/#", "b x/+");
    }

    @Test
    void removingTheLastSubscriptionLeavesAnEmptyTree() {
        put("a", "x/y/z");
        put("a", "x/#");
        tree.remove("a", "x/y/z");
        tree.remove("a", "x/#");

        assertThat(tree.size()).isZero();
        assertThat(matches("x/y/z")).isEmpty();
        // A filter sharing a removed prefix is indexed afresh.
        put("b", "x/y/+");
        assertThat(matches("x/y/z")).containsExactly("b x/y/+");
    }

    @Test
    void agreesWithTopicsMatchesOnRandomFiltersAndTopics() {
        String[] levels = {"a", "b", "", "$SYS", "$x"};
        Random random = new Random(42);
        List<String> filters = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            String filter = randomFilter(random, levels);
            if (Topics.filterProblem(filter) == null) {
                filters.add(filter);
                tree.put("s" + i, Subscription.of(filter, 0));
            }
        }
        for (int i = 0; i < 2000; i++) {
            String topic = randomTopic(random, levels);
            TreeSet<String> expected = new TreeSet<>();
            for (int f = 0; f < filters.size(); f++) {
                if (Topics.matches(filters.get(f), topic)) {
                    expected.add(filters.get(f));
                }
            }
            TreeSet<String> actual = new TreeSet<>();
            tree.match(topic, (key, s) -> actual.add(s.filter()));
            assertThat(actual).as("topic '%s'", topic).isEqualTo(expected);
        }
    }

    private static String randomFilter(Random random, String[] levels) {
        int depth = 1 + random.nextInt(4);
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < depth; i++) {
            if (i > 0) {
                b.append('/');
            }
            int pick = random.nextInt(levels.length + 2);
            if (pick == levels.length) {
                b.append('+');
            } else if (pick == levels.length + 1) {
                b.append('#');
                break;
            } else {
                b.append(levels[pick]);
            }
        }
        return b.toString();
    }

    private static String randomTopic(Random random, String[] levels) {
        int depth = 1 + random.nextInt(4);
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < depth; i++) {
            if (i > 0) {
                b.append('/');
            }
            b.append(levels[random.nextInt(levels.length)]);
        }
        return b.toString();
    }

    /** The shared groups matching {@code topic}, each as its members' session keys in join order. */
    private List<List<String>> groups(String topic) {
        List<List<String>> found = new ArrayList<>();
        tree.match(topic, new SubscriptionTree.Visitor() {
            @Override
            public void subscription(String sessionKey, Subscription subscription) {}

            @Override
            public void group(SubscriptionTree.SharedGroup group) {
                found.add(List.copyOf(group.order));
            }
        });
        return found;
    }

    @Test
    void sharedSubscriptionsAreGroupedByShareNameOnTheirFilterApartFromOwnOnes() {
        put("a", "$share/wall/live/+/motion");
        put("b", "$share/wall/live/+/motion");
        put("a", "$share/log/live/#");
        put("a", "live/+/motion");

        assertThat(matches("live/rig-01/motion")).containsExactly("a live/+/motion");
        assertThat(groups("live/rig-01/motion")).containsExactlyInAnyOrder(List.of("a", "b"), List.of("a"));
        assertThat(groups("$SYS/live/x")).isEmpty();
        assertThat(tree.size()).isEqualTo(4);

        assertThat(tree.remove("a", "$share/wall/live/+/motion")).isTrue();
        assertThat(tree.remove("a", "$share/wall/live/+/motion")).isFalse();
        assertThat(tree.remove("b", "$share/log/live/#")).isFalse();
        assertThat(groups("live/rig-01/motion")).containsExactlyInAnyOrder(List.of("b"), List.of("a"));
        assertThat(matches("live/rig-01/motion")).containsExactly("a live/+/motion");
        assertThat(tree.size()).isEqualTo(3);
    }

    @Test
    void aMemberLeavingKeepsTheRoundRobinOnTheNextMember() {
        SubscriptionTree.SharedGroup group = new SubscriptionTree.SharedGroup();
        group.put("a", Subscription.of("$share/g/x", 0));
        group.put("b", Subscription.of("$share/g/x", 0));
        group.put("c", Subscription.of("$share/g/x", 0));
        group.next = 2; // c is next

        group.remove("a");

        assertThat(group.order.get(group.next)).isEqualTo("c");
        group.remove("c");
        assertThat(group.next).isZero();
        assertThat(group.order).containsExactly("b");
    }
}
