namespace Accounts.Contracts.Tests.OpenRegistry;

/// <summary>
/// A message that is only a record plus its schemas (<c>schemas/ParcelShipped/v1.avsc</c> and <c>v2.avsc</c> beside this
/// file, embedded by the test project): no codec code anywhere. v2 added the last two parameters, so they have defaults.
/// </summary>
public sealed record ParcelShipped(
    Guid ParcelId, long Sequence, DateTimeOffset ShippedAt, string Carrier, int WeightGrams, bool Fragile, string? TrackingNote = null, double? InsuredValue = null);
