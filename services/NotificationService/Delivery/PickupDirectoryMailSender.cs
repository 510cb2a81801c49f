using Microsoft.Extensions.Options;
using MimeKit;

namespace NotificationService.Delivery;

/// <summary>
/// The mail system of <c>make run</c>: each message becomes <c>&lt;Message-ID&gt;.eml</c> in a folder. Written to a temporary
/// file and moved into place, so a reader never sees half a message and a second write of the same message changes nothing.
/// </summary>
public sealed class PickupDirectoryMailSender(IOptions<NotificationOptions> options) : IMailSender
{
    public async Task SendAsync(MimeMessage message, CancellationToken cancellationToken)
    {
        var folder = Directory.CreateDirectory(options.Value.PickupDirectory).FullName;
        var target = Path.Combine(folder, FileNameOf(message.MessageId ?? throw new ArgumentException("The message has no Message-ID.", nameof(message))));
        if (File.Exists(target))
        {
            return;
        }
        var temporary = Path.Combine(folder, $".{Guid.NewGuid():N}.tmp");
        await using (var file = File.Create(temporary))
        {
            await message.WriteToAsync(file, cancellationToken);
        }
        try
        {
            File.Move(temporary, target, overwrite: false);
        }
        catch (IOException) when (File.Exists(target))
        {
            File.Delete(temporary);
        }
    }

    private static string FileNameOf(string messageId) =>
        string.Concat(messageId.Select(c => Path.GetInvalidFileNameChars().Contains(c) ? '_' : c)) + ".eml";
}
