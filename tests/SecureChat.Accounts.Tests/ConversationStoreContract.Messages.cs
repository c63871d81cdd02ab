using System.Collections.Concurrent;
using SecureChat.Accounts.Conversations;
using SecureChat.Accounts.Tests.Infrastructure;

namespace SecureChat.Accounts.Tests;

/// <summary>Stored messages, history and pending deliveries over each backend.</summary>
public abstract partial class ConversationStoreContract
{
    [BackendFact]
    public async Task Store_returns_increasing_ids_in_call_order_and_every_field_reads_back()
    {
        var first = await Store.StoreAsync([
            Message("#ops", "alice", 1_000, "one"),
            Message("@alice @bob", "bob", 1_001, "two"),
            Message("#ops", "carol", 1_002, "three"),
        ]);
        var second = await Store.StoreAsync([Message("#ops", "alice", 1_003, "four")]);

        Assert.Equal(3, first.Count);
        Assert.True(first[0] > 0);
        Assert.True(first[0] < first[1] && first[1] < first[2] && first[2] < second[0]);
        Assert.Equal(
            [new StoredMessage(first[0], "#ops", "alice", 1_000, "one"), new StoredMessage(first[2], "#ops", "carol", 1_002, "three"),
             new StoredMessage(second[0], "#ops", "alice", 1_003, "four")],
            await Store.HistoryAsync("#ops", 10));
        Assert.Equal([new StoredMessage(first[1], "@alice @bob", "bob", 1_001, "two")], await Store.HistoryAsync("@alice @bob", 10));
    }

    [BackendFact]
    public async Task Messages_by_id_read_back_lowest_first_and_skip_unknown_ids()
    {
        var ids = await Store.StoreAsync([
            Message("#ops", "alice", 10, "one", "bob"),
            Message("@alice @bob", "bob", 11, "two"),
            Message("#ops", "carol", 12, "three"),
        ]);

        var read = await Store.MessagesAsync([ids[2], ids[0], ids[2], ids[2] + 1_000]);

        Assert.Equal([new StoredMessage(ids[0], "#ops", "alice", 10, "one"), new StoredMessage(ids[2], "#ops", "carol", 12, "three")], read);
        Assert.Empty(await Store.MessagesAsync([]));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Store.MessagesAsync([.. Enumerable.Range(1, ConversationLimits.MaxIdsPerRead + 1).Select(i => (long)i)]));
    }

    [BackendFact]
    public async Task Storing_nothing_returns_no_ids()
    {
        Assert.Empty(await Store.StoreAsync([]));
        Assert.Equal(0, await CountRowsAsync("messages"));
    }

    [BackendFact]
    public async Task Store_records_one_pending_row_per_named_user()
    {
        var ids = await Store.StoreAsync([
            Message("#ops", "alice", 1, "for two", "bob", "carol", "bob"),
            Message("#ops", "alice", 2, "for nobody"),
        ]);

        Assert.Equal(2, await CountRowsAsync("pending_deliveries"));
        Assert.Equal([ids[0]], (await Store.PendingAsync("bob", 10)).Select(m => m.Id));
        Assert.Equal([ids[0]], (await Store.PendingAsync("carol", 10)).Select(m => m.Id));
        Assert.Empty(await Store.PendingAsync("alice", 10));
        Assert.Empty(await Store.PendingAsync("Bob", 10));
    }

    [BackendFact]
    public async Task Pending_is_oldest_first_and_limited()
    {
        var ids = new List<long>();
        ids.AddRange(await Store.StoreAsync([Message("#a", "alice", 1, "m1", "bob"), Message("#b", "alice", 2, "m2", "bob")]));
        ids.AddRange(await Store.StoreAsync([Message("@alice @bob", "alice", 3, "m3", "bob")]));
        ids.AddRange(await Store.StoreAsync([Message("#a", "carol", 4, "m4", "bob", "dave"), Message("#a", "carol", 5, "m5", "bob")]));

        var firstThree = await Store.PendingAsync("bob", 3);
        var all = await Store.PendingAsync("bob", 100);

        Assert.Equal(ids.Take(3), firstThree.Select(m => m.Id));
        Assert.Equal(["m1", "m2", "m3"], firstThree.Select(m => m.Body));
        Assert.Equal(ids, all.Select(m => m.Id));
        Assert.Equal(new StoredMessage(ids[3], "#a", "carol", 4, "m4"), Assert.Single(await Store.PendingAsync("dave", 100)));
    }

    [BackendFact]
    public async Task Mark_delivered_removes_only_that_users_rows()
    {
        var ids = await Store.StoreAsync([
            Message("#ops", "alice", 1, "m1", "bob", "carol"),
            Message("#ops", "alice", 2, "m2", "bob", "carol"),
            Message("#ops", "alice", 3, "m3", "bob", "carol"),
        ]);

        await Store.MarkDeliveredAsync("bob", [ids[0], ids[2], ids[2] + 1_000]);
        await Store.MarkDeliveredAsync("bob", []);
        await Store.MarkDeliveredAsync("nobody", [ids[1]]);

        Assert.Equal([ids[1]], (await Store.PendingAsync("bob", 10)).Select(m => m.Id));
        Assert.Equal(ids, (await Store.PendingAsync("carol", 10)).Select(m => m.Id));
        Assert.Equal(3, (await Store.HistoryAsync("#ops", 10)).Count);
    }

    [BackendFact]
    public async Task Many_messages_in_one_call_span_several_statements_and_one_transaction()
    {
        var messages = Enumerable.Range(0, 450).Select(i => Message("#bulk", "alice", i, $"bulk {i}", "bob", "carol")).ToList();
        var big = new string('b', 250 * 1024);
        messages.AddRange(Enumerable.Range(0, 12).Select(i => Message("#big", "alice", i, big + i, "bob")));

        var ids = await Store.StoreAsync(messages);

        Assert.Equal(462, ids.Distinct().Count());
        Assert.Equal(ids.Order(), ids);
        Assert.Equal(messages.Take(450).Select(m => m.Body), (await Store.HistoryAsync("#bulk", 1_000)).Select(m => m.Body));
        Assert.Equal(12, (await Store.HistoryAsync("#big", 100)).Count(m => m.Body.StartsWith(big, StringComparison.Ordinal)));
        Assert.Equal(450 * 2 + 12, await CountRowsAsync("pending_deliveries"));

        // More ids than one statement takes (and some that were never stored): several statements, one transaction.
        await Store.MarkDeliveredAsync("bob", ids.Take(449).Concat(Enumerable.Range(1, 300).Select(i => ids[^1] + i)).ToList());

        Assert.Equal(ids.Skip(449), (await Store.PendingAsync("bob", 1_000)).Select(m => m.Id));
        Assert.Equal(450, (await Store.PendingAsync("carol", 1_000)).Count);
    }

    [BackendFact]
    public async Task One_message_for_thousands_of_offline_users_is_stored_whole()
    {
        var everyone = Enumerable.Range(0, 4_500).Select(i => $"user{i:D4}").ToArray();

        var ids = await Store.StoreAsync([Message("#all", "alice", 1, "announcement", everyone), Message("#all", "alice", 2, "second", "user0001")]);

        Assert.Equal(4_501, await CountRowsAsync("pending_deliveries"));
        Assert.Equal([ids[0]], (await Store.PendingAsync("user4499", 10)).Select(m => m.Id));
        Assert.Equal(ids, (await Store.PendingAsync("user0001", 10)).Select(m => m.Id));
    }

    [BackendFact]
    public async Task A_lost_id_sequence_is_refused_not_reported_as_an_outage_and_stores_nothing()
    {
        await ScalarRawAsync($"DELETE FROM {Store.Options.TablePrefix}message_ids");

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => Store.StoreAsync([Message("#ops", "alice", 1, "lost", "bob")]));

        Assert.Contains("sequence", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, await CountRowsAsync("messages"));
        Assert.Equal(0, await CountRowsAsync("pending_deliveries"));
    }

    [BackendFact]
    public async Task History_returns_the_newest_messages_oldest_first_per_thread()
    {
        for (var i = 1; i <= 5; i++)
        {
            await Store.StoreAsync([Message("#a", "alice", i, $"a{i}"), Message("@alice @bob", "bob", i, $"dm{i}")]);
        }

        await Store.StoreAsync([Message("#b", "carol", 9, "b1")]);

        Assert.Equal(["a3", "a4", "a5"], (await Store.HistoryAsync("#a", 3)).Select(m => m.Body));
        Assert.Equal(["a1", "a2", "a3", "a4", "a5"], (await Store.HistoryAsync("#a", 50)).Select(m => m.Body));
        Assert.Equal(["dm5"], (await Store.HistoryAsync("@alice @bob", 1)).Select(m => m.Body));
        Assert.Equal(["b1"], (await Store.HistoryAsync("#b", 50)).Select(m => m.Body));
        Assert.Empty(await Store.HistoryAsync("#A", 50));
        Assert.Empty(await Store.HistoryAsync("#none", 50));
    }

    [BackendFact]
    public async Task Purge_removes_old_messages_and_their_pending_rows()
    {
        var ids = await Store.StoreAsync([
            Message("#ops", "alice", 100, "old", "bob", "carol"),
            Message("@alice @bob", "alice", 200, "old dm", "bob"),
            Message("#ops", "alice", 300, "boundary", "bob"),
            Message("#ops", "alice", 400, "new", "bob"),
        ]);

        Assert.Equal(2, await Store.PurgeAsync(300));
        Assert.Equal(0, await Store.PurgeAsync(300));

        Assert.Equal(["boundary", "new"], (await Store.HistoryAsync("#ops", 10)).Select(m => m.Body));
        Assert.Empty(await Store.HistoryAsync("@alice @bob", 10));
        Assert.Equal(ids.Skip(2), (await Store.PendingAsync("bob", 10)).Select(m => m.Id));
        Assert.Empty(await Store.PendingAsync("carol", 10));
        Assert.Equal(2, await CountRowsAsync("pending_deliveries"));
        Assert.True((await Store.StoreAsync([Message("#ops", "alice", 50, "after purge")]))[0] > ids[3]);
    }

    [BackendFact]
    public async Task Purge_of_more_messages_than_one_transaction_takes_deletes_them_all()
    {
        await Store.StoreAsync(Enumerable.Range(0, 1_234).Select(i => Message("#old", "alice", i, $"old {i}", "bob")).ToList());
        var kept = await Store.StoreAsync([Message("#old", "alice", 5_000, "kept", "bob")]);

        Assert.Equal(1_234, await Store.PurgeAsync(5_000));

        Assert.Equal(kept, (await Store.HistoryAsync("#old", 10)).Select(m => m.Id));
        Assert.Equal(kept, (await Store.PendingAsync("bob", 10)).Select(m => m.Id));
        Assert.Equal(1, await CountRowsAsync("pending_deliveries"));
    }

    [BackendFact]
    public async Task Body_round_trips_exactly()
    {
        var bodies = new[]
        {
            "",
            "plain",
            "Grüße, 你好, привет, שלום, 🙂👍🏽 and a zero\u200Bwidth space",
            "line one\nline two\r\n\ttabbed  ",
            "quotes ' \" ` \\ % _ ; -- /* */ \\0",
            "a NUL \0 inside",
            string.Concat(Enumerable.Repeat("200 KiB of text, ünïcödé and 🙂. ", 200 * 1024 / 38)),
            new string('é', ConversationLimits.MaxBodyBytes / 2),
        };

        var ids = await Store.StoreAsync(bodies.Select((body, i) => Message("#bodies", "alice", i, body, "bob")).ToList());

        Assert.Equal(bodies, (await Store.HistoryAsync("#bodies", 100)).Select(m => m.Body));
        Assert.Equal(bodies, (await Store.PendingAsync("bob", 100)).Select(m => m.Body));
        Assert.Equal(ids, (await Store.HistoryAsync("#bodies", 100)).Select(m => m.Id));
    }

    [BackendFact]
    public async Task Names_at_their_limits_are_accepted()
    {
        var room = "#" + new string('r', ConversationLimits.MaxRoomLength - 1);
        var user = new string('u', ConversationLimits.MaxUsernameLength);
        var thread = "@" + new string('t', ConversationLimits.MaxThreadLength - 1);

        Assert.True(await Store.JoinAsync(room, user, 1));
        var id = Assert.Single(await Store.StoreAsync([Message(thread, user, 1, "x", user)]));

        Assert.Equal([user], await Store.MembersOfAsync(room));
        Assert.Equal(new StoredMessage(id, thread, user, 1, "x"), Assert.Single(await Store.PendingAsync(user, 5)));
    }

    [BackendFact]
    public async Task Parallel_stores_from_8_tasks_give_400_distinct_ids_and_every_row()
    {
        var idsByTask = await Task.WhenAll(Enumerable.Range(0, 8).Select(task => Task.Run(async () =>
        {
            var ids = new List<long>();
            for (var call = 0; call < 50; call++)
            {
                ids.Add(Assert.Single(await Store.StoreAsync([Message("#load", $"writer{task}", call, $"{task}:{call}", "reader")])));
            }

            return ids;
        })));

        var all = idsByTask.SelectMany(ids => ids).ToList();
        Assert.Equal(400, all.Distinct().Count());
        Assert.All(idsByTask, ids => Assert.Equal(ids.Order(), ids));
        var history = await Store.HistoryAsync("#load", 1_000);
        Assert.Equal(all.Order(), history.Select(m => m.Id));
        Assert.Equal(all.Order(), (await Store.PendingAsync("reader", 1_000)).Select(m => m.Id));
        Assert.All(history, m => Assert.Equal($"writer{m.Body.Split(':')[0]}", m.Author));
    }

    [BackendFact]
    public async Task Ids_become_visible_in_increasing_order_across_store_instances()
    {
        // Two instances stand for two servers. Ids increase in commit order, so a reader that has seen id N never
        // later sees a new message with an id below N: "everything after the last id I saw" is a safe cursor.
        var stores = new[] { Store, OpenStore() };
        var violations = new ConcurrentQueue<string>();
        using var done = new CancellationTokenSource();
        var reader = Task.Run(async () =>
        {
            var seen = new HashSet<long>();
            var max = 0L;
            while (!done.IsCancellationRequested)
            {
                var ids = (await OpenStore().HistoryAsync("#order", 10_000)).Select(m => m.Id).ToList();
                var fresh = ids.Where(id => !seen.Contains(id)).ToList();
                if (fresh.Count > 0 && fresh.Min() < max)
                {
                    violations.Enqueue($"id {fresh.Min()} appeared after {max}");
                }

                if (seen.Count(ids.Contains) != seen.Count)
                {
                    violations.Enqueue("a stored message disappeared");
                }

                seen.UnionWith(fresh);
                max = Math.Max(max, fresh.DefaultIfEmpty(0).Max());
            }
        });

        await Task.WhenAll(Enumerable.Range(0, 6).Select(w => Task.Run(async () =>
        {
            for (var call = 0; call < 30; call++)
            {
                await stores[w % 2].StoreAsync([Message("#order", "alice", call, $"{w}:{call}"), Message("#order", "bob", call, "second")]);
            }
        })));
        await done.CancelAsync();
        await reader;

        Assert.Empty(violations);
        Assert.Equal(360, (await Store.HistoryAsync("#order", 10_000)).Count);
    }
}
