using System.Diagnostics;
using System.Net.Mime;
using System.Runtime.Serialization;
using Accounts.Contracts.Avro;
using MassTransit;
using MassTransit.Serialization;

namespace Accounts.Contracts.MassTransit;

/// <summary>
/// MassTransit serializer and deserializer for <c>application/vnd.apache.avro+binary</c>: the body is the message alone in the
/// Avro single-object encoding; message id, correlation, conversation and initiator (causation) ids, message type and
/// <c>traceparent</c> travel as transport headers, as MassTransit's raw serializers do. A body that cannot be read throws a
/// <see cref="SerializationException"/>, which MassTransit answers by moving the message to the <c>_error</c> queue at once.
/// </summary>
public sealed class AvroMessageSerializer(AvroSingleObjectCodec codec) : RawMessageSerializer, IMessageSerializer, IMessageDeserializer
{
    public const string MediaType = "application/vnd.apache.avro+binary";
    public const string TraceParentHeader = "traceparent";

    public static readonly ContentType AvroContentType = new(MediaType);

    public ContentType ContentType => AvroContentType;

    public AvroSingleObjectCodec Codec => codec;

    public MessageBody GetMessageBody<T>(SendContext<T> context)
        where T : class
    {
        SetRawMessageHeaders(context);
        if (Activity.Current is { IdFormat: ActivityIdFormat.W3C } activity && !context.Headers.TryGetHeader(TraceParentHeader, out _))
            context.Headers.Set(TraceParentHeader, activity.Id);

        return new BytesMessageBody(codec.Encode(context.Message));
    }

    /// <summary>
    /// MassTransit hands messages of content types it has no deserializer for to the default one, which is this: a message
    /// that says it is something else is refused by name rather than read as if it were Avro.
    /// </summary>
    public ConsumeContext Deserialize(ReceiveContext receiveContext)
    {
        if (receiveContext.ContentType is { MediaType: var mediaType } && !string.Equals(mediaType, MediaType, StringComparison.OrdinalIgnoreCase))
            throw new SerializationException($"Unsupported content type {mediaType}: this endpoint reads only {MediaType}.");

        return new BodyConsumeContext(receiveContext, Deserialize(receiveContext.Body, receiveContext.TransportHeaders, receiveContext.InputAddress));
    }

    public SerializerContext Deserialize(MessageBody body, Headers headers, Uri? destinationAddress = null)
    {
        var message = codec.Decode(body.GetBytes());
        return new AvroSerializerContext(new RawMessageContext(headers, destinationAddress, RawSerializerOptions.Default), message, body, this);
    }

    public MessageBody GetMessageBody(string text) => new Base64MessageBody(text);

    public void Probe(ProbeContext context)
    {
        var scope = context.CreateScope("avro");
        scope.Add("contentType", MediaType);
        scope.Add("encoding", "single-object");
    }
}
