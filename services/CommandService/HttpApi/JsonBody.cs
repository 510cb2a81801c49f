using System.Buffers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http.HttpResults;
using ServiceDefaults;

namespace CommandService.HttpApi;

/// <summary>
/// Reads a JSON request body with the checks the framework's binder does not give: a 64 KiB cap, and a 400 problem that
/// names the offending field for malformed JSON or a value of the wrong type.
/// </summary>
public static class JsonBody
{
    public const int MaxBytes = 64 * 1024;

    public static async Task<(T? Value, ValidationProblem? Problem)> ReadAsync<T>(HttpRequest request, JsonTypeInfo<T> type)
        where T : class
    {
        if (!request.HasJsonContentType())
        {
            return (null, Problems.BadRequest("body", "The body must be JSON (Content-Type: application/json)."));
        }
        if (request.ContentLength > MaxBytes)
        {
            return (null, Problems.BadRequest("body", $"The body is larger than {MaxBytes / 1024} KiB."));
        }
        var buffer = new ArrayBufferWriter<byte>(512);
        while (true)
        {
            var read = await request.Body.ReadAsync(buffer.GetMemory(4096), request.HttpContext.RequestAborted);
            if (read == 0)
            {
                break;
            }
            buffer.Advance(read);
            if (buffer.WrittenCount > MaxBytes)
            {
                return (null, Problems.BadRequest("body", $"The body is larger than {MaxBytes / 1024} KiB."));
            }
        }
        try
        {
            return JsonSerializer.Deserialize(buffer.WrittenSpan, type) is { } value
                ? (value, null)
                : (null, Problems.BadRequest("body", "The body must be a JSON object."));
        }
        catch (JsonException e)
        {
            var field = e.Path is null or "$" ? "body" : e.Path.TrimStart('$', '.');
            return (null, Problems.BadRequest(field, $"Invalid JSON at {e.Path ?? "$"}: {e.Message.Split(". Path:")[0]}."));
        }
    }
}
