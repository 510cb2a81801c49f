using System.Linq.Expressions;
using System.Reflection;
using Avro;
using Avro.Generic;

namespace Accounts.Contracts.Avro;

/// <summary>
/// The mapping between one C# record and one version of its schema, derived once from the record's primary constructor:
/// each schema field is the constructor parameter of the same name (<c>userId</c> is <c>UserId</c>), with the conversions of
/// <see cref="AvroFieldConversion"/>. A parameter the schema lacks takes its C# default value when read (an older reader
/// schema), so it must have one. Both directions are compiled to delegates once; no reflection runs per message.
/// </summary>
public sealed class AvroRecordMapping
{
    static readonly ConstructorInfo NewGenericRecord = typeof(GenericRecord).GetConstructor([typeof(RecordSchema)])!;
    static readonly MethodInfo SetField = typeof(GenericRecord).GetMethod(nameof(GenericRecord.Add), [typeof(int), typeof(object)])!;
    static readonly MethodInfo GetField = typeof(GenericRecord).GetMethod(nameof(GenericRecord.GetValue), [typeof(int)])!;

    readonly Func<object, GenericRecord> _toRecord;
    readonly Func<GenericRecord, object> _fromRecord;

    AvroRecordMapping(Func<object, GenericRecord> toRecord, Func<GenericRecord, object> fromRecord)
    {
        _toRecord = toRecord;
        _fromRecord = fromRecord;
    }

    /// <summary>The message as a record of this schema, for Apache.Avro's generic writer.</summary>
    public GenericRecord ToRecord(object message) => _toRecord(message);

    /// <summary>The message from a record of this schema, as Apache.Avro's generic reader resolved it.</summary>
    public object FromRecord(GenericRecord record) => _fromRecord(record);

    /// <summary>Derives the mapping; throws, naming the record, version and field, when the record and schema do not fit.</summary>
    /// <param name="describe">How errors name the schema, e.g. "UserRegistered v2".</param>
    public static AvroRecordMapping Build(Type recordType, RecordSchema schema, string describe)
    {
        ArgumentNullException.ThrowIfNull(recordType);
        ArgumentNullException.ThrowIfNull(schema);
        var constructor = PrimaryConstructor(recordType, describe);
        var nullability = new NullabilityInfoContext();

        var fields = new List<MappedField>();
        foreach (var field in schema.Fields)
        {
            var parameter = constructor.GetParameters().FirstOrDefault(p => string.Equals(p.Name, field.Name, StringComparison.OrdinalIgnoreCase))
                ?? throw Misfit(describe, $"field '{field.Name}' has no constructor parameter of that name in {recordType.Name}");
            var nullable = Nullable.GetUnderlyingType(parameter.ParameterType) is not null
                || (!parameter.ParameterType.IsValueType && nullability.Create(parameter).WriteState == NullabilityState.Nullable);
            var conversion = AvroFieldConversion.For(field.Schema, parameter.ParameterType, nullable)
                ?? throw Misfit(describe, $"field '{field.Name}' ({field.Schema}) cannot hold {recordType.Name}.{parameter.Name} ({Describe(parameter.ParameterType, nullable)}); supported: {AvroFieldConversion.Supported}");
            var property = recordType.GetProperty(parameter.Name!, BindingFlags.Public | BindingFlags.Instance)
                ?? throw Misfit(describe, $"{recordType.Name} has no public property {parameter.Name} to write field '{field.Name}' from");
            fields.Add(new MappedField(field, parameter, property, conversion));
        }

        return new AvroRecordMapping(CompileToRecord(recordType, schema, fields), CompileFromRecord(constructor, fields, describe));
    }

    static Func<object, GenericRecord> CompileToRecord(Type recordType, RecordSchema schema, List<MappedField> fields)
    {
        var message = Expression.Parameter(typeof(object), "message");
        var typed = Expression.Variable(recordType, "typed");
        var record = Expression.Variable(typeof(GenericRecord), "record");
        var steps = new List<Expression>
        {
            Expression.Assign(typed, Expression.Convert(message, recordType)),
            Expression.Assign(record, Expression.New(NewGenericRecord, Expression.Constant(schema))),
        };
        foreach (var mapped in fields)
            steps.Add(Expression.Call(record, SetField, Expression.Constant(mapped.Field.Pos), mapped.Conversion.ToAvro(Expression.Property(typed, mapped.Property))));

        steps.Add(record);
        return Expression.Lambda<Func<object, GenericRecord>>(Expression.Block([typed, record], steps), message).Compile();
    }

    static Func<GenericRecord, object> CompileFromRecord(ConstructorInfo constructor, List<MappedField> fields, string describe)
    {
        var record = Expression.Parameter(typeof(GenericRecord), "record");
        var arguments = constructor.GetParameters().Select(parameter =>
            fields.Find(mapped => mapped.Parameter == parameter) is { } mapped
                ? mapped.Conversion.FromAvro(Expression.Call(record, GetField, Expression.Constant(mapped.Field.Pos)))
                : DefaultOf(parameter, describe));

        return Expression.Lambda<Func<GenericRecord, object>>(Expression.Convert(Expression.New(constructor, arguments), typeof(object)), record).Compile();
    }

    /// <summary>A field this schema lacks (an older version): the C# default value of the parameter.</summary>
    static Expression DefaultOf(ParameterInfo parameter, string describe)
    {
        if (!parameter.HasDefaultValue)
            throw Misfit(describe, $"the schema has no field '{parameter.Name}' and the constructor parameter has no default value to read it as");

        return parameter.DefaultValue is null
            ? Expression.Default(parameter.ParameterType)
            : Expression.Convert(Expression.Constant(parameter.DefaultValue), parameter.ParameterType);
    }

    /// <summary>The one public constructor of the record (its primary constructor; the compiler's copy constructor is not public).</summary>
    static ConstructorInfo PrimaryConstructor(Type recordType, string describe)
    {
        var constructors = recordType.GetConstructors(BindingFlags.Public | BindingFlags.Instance);
        return constructors.Length == 1
            ? constructors[0]
            : throw Misfit(describe, $"{recordType.Name} must have exactly one public constructor (a positional record), found {constructors.Length}");
    }

    static string Describe(Type type, bool nullable) => nullable && !type.IsValueType ? $"{type.Name}?" : type.ToString();

    static InvalidOperationException Misfit(string describe, string reason) => new($"{describe}: {reason}.");

    sealed record MappedField(Field Field, ParameterInfo Parameter, PropertyInfo Property, AvroFieldConversion Conversion);
}
