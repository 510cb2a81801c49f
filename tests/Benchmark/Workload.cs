using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Accounts.Benchmark;

/// <summary>
/// One account the benchmark drives, with what it expects to see: the last accepted version and how many notifications
/// the notification service must have recorded (welcome 1, e-mail change 2, deactivation 1). Only one task at a time
/// sends commands for a user, so these are exact.
/// </summary>
public sealed class BenchUser(Guid id)
{
    public Guid Id { get; } = id;
    public long Version { get; set; }
    public int ExpectedNotifications { get; set; }
    public bool Active { get; set; }
    public int Changes { get; set; }

    /// <summary>Order of this user's last accepted command among all of them (higher = later).</summary>
    public long LastAccepted { get; set; }
}

/// <summary>A command ready to send: its kind, path, JSON body and how many notifications it should cause.</summary>
public sealed record BenchCommand(BenchUser User, string Kind, string Path, byte[]? Body, int Notifications);

/// <summary>
/// The command mix: a share of new registrations; otherwise one of the driving task's own users changes: rename 40 %,
/// change e-mail 40 %, deactivate 20 %, and a deactivated user is reactivated. Every name and address is new, so no
/// command is rejected by the domain (unique e-mail addresses, "nothing changed").
/// </summary>
public static class Workload
{
    public const double RegisterShare = 0.2;

    public static BenchCommand Register(BenchUser user) =>
        new(user, "register", "/users", Body(new RegisterBody(user.Id, Email(user), Name(user))), 1);

    public static BenchCommand Change(BenchUser user, Random random)
    {
        var path = $"/users/{user.Id}";
        if (!user.Active)
        {
            return new(user, "reactivate", path + "/reactivate", null, 0);
        }
        user.Changes++;
        return random.NextDouble() switch
        {
            < 0.4 => new(user, "rename", path + "/name", Body(new NameBody(Name(user))), 0),
            < 0.8 => new(user, "change-email", path + "/email", Body(new EmailBody(Email(user))), 2),
            _ => new(user, "deactivate", path + "/deactivate", Body(new ReasonBody("benchmark")), 1),
        };
    }

    /// <summary>Records an accepted command in the user's expectations.</summary>
    public static void Accept(BenchCommand command, long version, long order)
    {
        var user = command.User;
        user.Version = version;
        user.ExpectedNotifications += command.Notifications;
        user.Active = command.Kind != "deactivate";
        user.LastAccepted = order;
    }

    private static string Email(BenchUser user) => $"{user.Id:N}.{user.Changes.ToString(CultureInfo.InvariantCulture)}@bench.example.org";

    private static string Name(BenchUser user) => $"Bench User {user.Changes.ToString(CultureInfo.InvariantCulture)}";

    private static byte[] Body<T>(T body) => JsonSerializer.SerializeToUtf8Bytes(body, typeof(T), WorkloadJson.Default);
}

public sealed record RegisterBody(Guid Id, string Email, string DisplayName);

public sealed record NameBody(string DisplayName);

public sealed record EmailBody(string Email);

public sealed record ReasonBody(string Reason);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(RegisterBody))]
[JsonSerializable(typeof(NameBody))]
[JsonSerializable(typeof(EmailBody))]
[JsonSerializable(typeof(ReasonBody))]
internal sealed partial class WorkloadJson : JsonSerializerContext;
