using MongoDB.Bson;
using MongoDB.Bson.Serialization;
using MongoDB.Driver;
using NotificationService.Infrastructure.Mongo;
using NotificationService.Notifications;

namespace NotificationService.Tests;

/// <summary>
/// What the MongoDB notification store sends, rendered to BSON without a server: the claim filter, sort and update, the
/// pending-only outcome updates, the per-user listing, the version-conditioned contact write and the indexes.
/// </summary>
public sealed class NotificationQueriesRenderingTests
{
    private static readonly Guid Id = Guid.Parse("0b5e2c8e-6a7d-4f0e-9d7c-3c2b1a0f9e8d");
    private static readonly DateTimeOffset At = DateTimeOffset.FromUnixTimeMilliseconds(1_767_225_600_123);
    private const string TraceParent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
    private static readonly IBsonSerializerRegistry Registry = BsonSerializer.SerializerRegistry;
    private static readonly RenderArgs<NotificationDocument> Args = new(Registry.GetSerializer<NotificationDocument>(), Registry);
    private static readonly RenderArgs<ContactDocument> ContactArgs = new(Registry.GetSerializer<ContactDocument>(), Registry);

    private static BsonDateTime Date(DateTimeOffset time) => new(time.UtcDateTime);

    [Fact]
    public void A_claim_finds_pending_notifications_due_by_now_earliest_first_and_pushes_out_those_still_due_under_its_own_claim_id()
    {
        Assert.Equal(
            new BsonDocument { { "state", "pending" }, { "dueAt", new BsonDocument("$lte", Date(At)) } },
            NotificationQueries.DueBy(At).Render(Args));
        Assert.Equal(new BsonDocument { { "dueAt", 1 }, { "_id", 1 } }, NotificationQueries.EarliestDueFirst.Render(Args));
        Assert.Equal(
            new BsonDocument
            {
                { "_id", new BsonDocument("$in", new BsonArray { "a", "b" }) }, { "state", "pending" }, { "dueAt", new BsonDocument("$lte", Date(At)) },
            },
            NotificationQueries.DueAmong(["a", "b"], At).Render(Args));
        Assert.Equal(new BsonDocument("$set", new BsonDocument { { "dueAt", Date(At.AddMinutes(2)) }, { "claim", "c1" } }),
            NotificationQueries.Claim(At.AddMinutes(2), "c1").Render(Args));
        Assert.Equal(new BsonDocument { { "_id", new BsonDocument("$in", new BsonArray { "a", "b" }) }, { "claim", "c1" } },
            NotificationQueries.ClaimedAmong(["a", "b"], "c1").Render(Args));
    }

    [Fact]
    public void Outcomes_apply_only_to_a_pending_notification()
    {
        Assert.Equal(new BsonDocument { { "_id", Id.ToString() }, { "state", "pending" } }, NotificationQueries.PendingById(Id).Render(Args));
    }

    [Fact]
    public void Sent_records_state_attempts_and_times()
    {
        Assert.Equal(
            new BsonDocument("$set", new BsonDocument
            {
                { "state", "sent" }, { "attempts", 2 }, { "sentAt", Date(At) }, { "updatedAt", Date(At) },
            }),
            NotificationQueries.Outcome(DeliveryOutcome.Sent(Id, 2, At)).Render(Args));
    }

    [Fact]
    public void A_failed_attempt_reschedules_or_gives_up_and_a_released_one_keeps_its_error()
    {
        Assert.Equal(
            new BsonDocument("$set", new BsonDocument
            {
                { "state", "pending" }, { "attempts", 3 }, { "dueAt", Date(At.AddMinutes(1)) }, { "updatedAt", Date(At) }, { "lastError", "421" },
            }),
            NotificationQueries.Outcome(DeliveryOutcome.AttemptFailed(Id, 3, "421", At.AddMinutes(1), At)).Render(Args));
        Assert.Equal(
            new BsonDocument("$set", new BsonDocument
            {
                { "state", "failed" }, { "attempts", 4 }, { "dueAt", Date(At) }, { "updatedAt", Date(At) }, { "lastError", "550" },
            }),
            NotificationQueries.Outcome(DeliveryOutcome.AttemptFailed(Id, 4, "550", null, At)).Render(Args));
        var claimed = new Notification(Id, Id, Id, NotificationKind.Welcome, "a@example.com", "s", "b", NotificationState.Pending, 2, "421",
            At, At, At.AddMinutes(2), null);
        Assert.Equal(
            new BsonDocument("$set", new BsonDocument { { "state", "pending" }, { "attempts", 2 }, { "dueAt", Date(At) }, { "updatedAt", Date(At) } }),
            NotificationQueries.Outcome(DeliveryOutcome.Released(claimed, At)).Render(Args));
    }

    [Fact]
    public void A_users_notifications_are_listed_oldest_first()
    {
        Assert.Equal(new BsonDocument("userId", Id.ToString()), NotificationQueries.ForUser(Id).Render(Args));
        Assert.Equal(new BsonDocument { { "createdAt", 1 }, { "_id", 1 } }, NotificationQueries.OldestFirst.Render(Args));
    }

    [Fact]
    public void A_contact_change_is_conditioned_on_the_previous_version()
    {
        Assert.Equal(new BsonDocument { { "_id", Id.ToString() }, { "version", 2L } },
            NotificationQueries.ContactAtVersion(Id, 2).Render(ContactArgs));
        Assert.Equal(
            new BsonDocument("$set", new BsonDocument { { "email", "a@b.c" }, { "displayName", "A" }, { "version", 3L } }),
            NotificationQueries.ContactChangeTo(new Contact(Id, "a@b.c", "A", 3)).Render(ContactArgs));
    }

    [Fact]
    public void The_indexes_serve_the_per_user_listing_and_the_claim()
    {
        Assert.Equal(
            [
                ("notifications_by_user", new BsonDocument { { "userId", 1 }, { "createdAt", 1 }, { "_id", 1 } }),
                ("notifications_claim", new BsonDocument { { "state", 1 }, { "dueAt", 1 }, { "_id", 1 } }),
            ],
            NotificationQueries.Indexes.Select(i => (i.Options.Name, i.Keys.Render(Args))).ToList());
    }

    [Fact]
    public void The_claim_is_served_by_an_index_in_its_filters_equality_then_its_sort_order()
    {
        var filter = NotificationQueries.DueBy(At).Render(Args);
        var equality = filter.Elements.Where(e => !e.Value.IsBsonDocument).Select(e => e.Name);
        var wanted = new BsonDocument(equality.Select(name => new BsonElement(name, 1)));
        wanted.AddRange(NotificationQueries.EarliestDueFirst.Render(Args));
        Assert.Contains(wanted, NotificationQueries.Indexes.Select(i => i.Keys.Render(Args)));
    }

    [Fact]
    public void A_document_round_trips_through_bson()
    {
        var n = new Notification(Id, Guid.NewGuid(), Guid.NewGuid(), NotificationKind.Farewell, "a@b.c", "Bye", "Body",
            NotificationState.Sent, 1, null, At, At, At, At, TraceParent, "vendor=value");
        Assert.Equal(n, BsonSerializer.Deserialize<NotificationDocument>(NotificationDocument.From(n).ToBsonDocument()).ToNotification());
    }

    [Fact]
    public void The_trace_context_is_stored_with_the_notification()
    {
        var n = new Notification(Id, Guid.NewGuid(), Guid.NewGuid(), NotificationKind.Welcome, "a@b.c", "Hi", "Body",
            NotificationState.Pending, 0, null, At, At, At, null, TraceParent, "vendor=value");
        var document = NotificationDocument.From(n).ToBsonDocument();
        Assert.Equal(TraceParent, document["traceParent"].AsString);
        Assert.Equal("vendor=value", document["traceState"].AsString);
    }

    [Fact]
    public void A_document_written_before_trace_contexts_were_kept_reads_without_one()
    {
        var n = new Notification(Id, Guid.NewGuid(), Guid.NewGuid(), NotificationKind.Welcome, "a@b.c", "Hi", "Body",
            NotificationState.Pending, 0, null, At, At, At, null, TraceParent, "vendor=value");
        var old = NotificationDocument.From(n).ToBsonDocument();
        old.Remove("traceParent");
        old.Remove("traceState");
        Assert.Equal(n with { TraceParent = null, TraceState = null }, BsonSerializer.Deserialize<NotificationDocument>(old).ToNotification());
    }
}
