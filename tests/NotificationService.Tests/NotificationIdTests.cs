using NotificationService.Notifications;

namespace NotificationService.Tests;

public sealed class NotificationIdTests
{
    private static readonly Guid MessageId = Guid.Parse("0198c0de-0000-7000-8000-000000000001");

    [Fact]
    public void The_same_message_kind_and_recipient_give_the_same_id_whatever_the_recipients_case()
    {
        Assert.Equal(
            NotificationId.For(MessageId, NotificationKind.Welcome, "Ada@Example.com"),
            NotificationId.For(MessageId, NotificationKind.Welcome, "ada@example.com"));
    }

    [Fact]
    public void Kind_recipient_and_message_each_tell_ids_apart()
    {
        var ids = new[]
        {
            NotificationId.For(MessageId, NotificationKind.EmailChangedOldAddress, "ada@example.com"),
            NotificationId.For(MessageId, NotificationKind.EmailChangedNewAddress, "ada@example.com"),
            NotificationId.For(MessageId, NotificationKind.EmailChangedOldAddress, "ada@lovelace.org"),
            NotificationId.For(Guid.NewGuid(), NotificationKind.EmailChangedOldAddress, "ada@example.com"),
        };
        Assert.Equal(ids.Length, ids.Distinct().Count());
    }

    [Fact]
    public void Ids_are_version_5_rfc_variant_uuids()
    {
        var text = NotificationId.For(MessageId, NotificationKind.Farewell, "ada@example.com").ToString();
        Assert.Equal('5', text[14]);
        Assert.Contains(text[19], "89ab");
    }
}
