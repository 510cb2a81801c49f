using Accounts.Contracts;
using BenchmarkDotNet.Attributes;

namespace Accounts.Serialization.Benchmarks;

[MemoryDiagnoser]
public class SerializationBenchmarks
{
    readonly UserRegisteredFormats _formats = new();

    [Benchmark(Baseline = true)]
    public byte[] EncodeAvroSingleObject() => _formats.EncodeAvro();

    [Benchmark]
    public byte[] EncodeSystemTextJsonSourceGenerated() => _formats.EncodeJson();

    [Benchmark]
    public byte[] EncodeMassTransitJsonEnvelope() => _formats.EncodeEnvelope();

    [Benchmark]
    public UserRegistered DecodeAvroSingleObject() => _formats.DecodeAvro();

    [Benchmark]
    public UserRegistered DecodeSystemTextJsonSourceGenerated() => _formats.DecodeJson();

    [Benchmark]
    public UserRegistered DecodeMassTransitJsonEnvelope() => _formats.DecodeEnvelope();
}
