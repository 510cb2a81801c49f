using System.Buffers.Text;
using System.Text;
using QueryService.Views;

namespace QueryService.HttpApi;

/// <summary>The opaque <c>after</c>/<c>next</c> cursor of the directory: base64url of the user id (32 hex digits) and the name key.</summary>
public static class DirectoryCursor
{
    private const int IdLength = 32;

    public static string Encode(DirectoryPosition position) =>
        Base64Url.EncodeToString(Encoding.UTF8.GetBytes(position.UserId.ToString("N") + position.NameKey));

    public static bool TryDecode(string cursor, out DirectoryPosition? position)
    {
        position = null;
        try
        {
            var text = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(cursor));
            if (text.Length < IdLength || !Guid.TryParseExact(text[..IdLength], "N", out var userId))
            {
                return false;
            }
            position = new DirectoryPosition(text[IdLength..], userId);
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
