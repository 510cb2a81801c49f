using Accounts.Serialization.Benchmarks;
using BenchmarkDotNet.Running;

// Bytes on the wire are a property of the format, not a timing: print them once, checked by decoding each back.
var formats = new UserRegisteredFormats();
if (formats.DecodeAvro() != UserRegisteredFormats.Message || formats.DecodeJson() != UserRegisteredFormats.Message || formats.DecodeEnvelope() != UserRegisteredFormats.Message)
    throw new InvalidOperationException("A format does not round-trip the message.");

Console.WriteLine("| format | body bytes on the wire |");
Console.WriteLine("| --- | ---: |");
Console.WriteLine($"| Avro single-object (ids, type and traceparent in transport headers) | {formats.AvroBytes.Length} |");
Console.WriteLine($"| System.Text.Json source-generated (raw JSON body) | {formats.JsonBytes.Length} |");
Console.WriteLine($"| MassTransit JSON envelope (ids, addresses, host info in the body) | {formats.EnvelopeBytes.Length} |");

BenchmarkSwitcher.FromAssembly(typeof(SerializationBenchmarks).Assembly).Run(args);
