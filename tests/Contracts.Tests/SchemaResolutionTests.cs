using Accounts.Contracts.Avro;

namespace Accounts.Contracts.Tests;

/// <summary>Old and new services interoperate: a service pinned to v1 of UserRegistered and one on v2, in both directions.</summary>
public class SchemaResolutionTests
{
    static readonly AvroSingleObjectCodec V1Service = new(AvroContracts.Default, new ContractVersionPins().Pin<UserRegistered>(1));
    static readonly AvroSingleObjectCodec V2Service = AvroSingleObjectCodec.Latest;

    [Fact]
    public void A_v1_reader_reads_v2_bytes_ignoring_the_new_field()
    {
        var written = V2Service.Encode(Samples.Registered(preferredLanguage: "de-CH"));

        var read = Assert.IsType<UserRegistered>(V1Service.Decode(written));

        Assert.Equal(Samples.Registered() with { PreferredLanguage = null }, read);
    }

    [Fact]
    public void A_v2_reader_reads_v1_bytes_taking_the_default()
    {
        var written = V1Service.Encode(Samples.Registered(preferredLanguage: "de-CH"));

        var read = Assert.IsType<UserRegistered>(V2Service.Decode(written));

        Assert.Equal(AvroContracts.Default.Version(typeof(UserRegistered), 1).Fingerprint, SingleObjectEncoding.ReadFingerprint(written));
        Assert.Equal(Samples.Registered() with { PreferredLanguage = null }, read);
    }

    [Fact]
    public void A_message_round_trips_through_a_pinned_version()
    {
        var written = V1Service.Encode(Samples.Registered(preferredLanguage: null));

        Assert.Equal(Samples.Registered(preferredLanguage: null), V1Service.Decode(written));
    }
}
