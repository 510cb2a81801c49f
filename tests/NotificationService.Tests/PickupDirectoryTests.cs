using Microsoft.Extensions.Options;
using MimeKit;
using NotificationService.Delivery;

namespace NotificationService.Tests;

/// <summary>The pickup directory: one whole <c>.eml</c> file per Message-ID, written once.</summary>
public sealed class PickupDirectoryTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("pickup-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public async Task A_message_becomes_one_eml_file_named_by_its_message_id_in_a_folder_made_when_missing()
    {
        var folder = Path.Combine(_root, "not", "yet", "there");
        var sender = Sender(folder);

        await sender.SendAsync(Message("welcome-1@localhost", "Welcome"), CancellationToken.None);

        var file = Assert.Single(Directory.GetFiles(folder));
        Assert.Equal("welcome-1@localhost.eml", Path.GetFileName(file));
        var written = await MimeMessage.LoadAsync(file);
        Assert.Equal(("welcome-1@localhost", "Welcome", "Hello Ada"), (written.MessageId, written.Subject, written.TextBody?.Trim()));
    }

    [Fact]
    public async Task A_second_message_with_the_same_message_id_leaves_the_first_file_as_it_was_and_no_temporary_file()
    {
        var sender = Sender(_root);
        await sender.SendAsync(Message("changed-1@localhost", "First"), CancellationToken.None);

        await sender.SendAsync(Message("changed-1@localhost", "Second"), CancellationToken.None);

        var file = Assert.Single(Directory.GetFiles(_root, "*", SearchOption.AllDirectories));
        Assert.Equal("First", (await MimeMessage.LoadAsync(file)).Subject);
    }

    private static PickupDirectoryMailSender Sender(string folder) =>
        new(Options.Create(new NotificationOptions { PickupDirectory = folder }));

    private static MimeMessage Message(string messageId, string subject) => new(
        [new MailboxAddress("Accounts", "accounts@example.org")], [new MailboxAddress("Ada", "ada@example.org")], subject,
        new TextPart("plain") { Text = "Hello Ada" })
    {
        MessageId = messageId,
    };
}
