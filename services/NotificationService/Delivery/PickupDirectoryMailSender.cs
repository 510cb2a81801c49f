using Microsoft.Extensions.Options;
using Microsoft.Win32.SafeHandles;
using MimeKit;

namespace NotificationService.Delivery;

/// <summary>
/// The mail system of <c>make run</c>: each message becomes <c>&lt;Message-ID&gt;.eml</c> in a folder. Written to a temporary
/// file and moved into place, so a reader never sees half a message and a second write of the same message changes nothing.
/// The write is synchronous (rendered in memory, one write to a new file): a local file takes microseconds, and the
/// asynchronous file API would hop through the thread pool for the open, each flush and the close.
/// </summary>
public sealed class PickupDirectoryMailSender(IOptions<NotificationOptions> options) : IMailSender
{
    private readonly string _folder = Path.GetFullPath(options.Value.PickupDirectory);

    public Task SendAsync(MimeMessage message, CancellationToken cancellationToken)
    {
        var target = Path.Combine(_folder, FileNameOf(message.MessageId ?? throw new ArgumentException("The message has no Message-ID.", nameof(message))));
        if (File.Exists(target))
        {
            return Task.CompletedTask;
        }
        using var rendered = new MemoryStream();
        message.WriteTo(rendered, cancellationToken);
        var temporary = Path.Combine(_folder, $".{Guid.NewGuid():N}.tmp");
        using (var file = CreateNew(temporary))
        {
            RandomAccess.Write(file, rendered.GetBuffer().AsSpan(0, (int)rendered.Length), fileOffset: 0);
        }
        try
        {
            File.Move(temporary, target, overwrite: false);
        }
        catch (IOException) when (File.Exists(target))
        {
            File.Delete(temporary);
        }
        return Task.CompletedTask;
    }

    /// <summary>
    /// A new file (O_CREAT | O_EXCL), the folder made only when missing. Not <see cref="FileMode.Create"/>: on Unix .NET
    /// truncates such a file after opening it, and ext4 writes a truncated file's data out when it is closed (auto_da_alloc),
    /// which was a tenth of the notification service's CPU under load.
    /// </summary>
    private SafeFileHandle CreateNew(string path)
    {
        try
        {
            return File.OpenHandle(path, FileMode.CreateNew, FileAccess.Write);
        }
        catch (DirectoryNotFoundException)
        {
            Directory.CreateDirectory(_folder);
            return File.OpenHandle(path, FileMode.CreateNew, FileAccess.Write);
        }
    }

    /// <summary>Read once: <see cref="Path.GetInvalidFileNameChars"/> returns a new array on every call.</summary>
    private static readonly char[] NotInFileNames = Path.GetInvalidFileNameChars();

    private static string FileNameOf(string messageId) =>
        string.Concat(messageId.Select(c => NotInFileNames.Contains(c) ? '_' : c)) + ".eml";
}
