namespace Accounts.Testing.MongoDb;

/// <summary>This test assembly's name, for the xunit discoverer of <see cref="AdapterFactAttribute"/>.</summary>
internal static class TestAssembly
{
    public const string Name = "NotificationService.Tests";
}
