using System.Linq.Expressions;
using Avro;
using Avro.Generic;

namespace Accounts.Contracts.Avro;

/// <summary>
/// How one record field's C# value becomes the value Apache.Avro's generic writer expects for the field's schema, and how
/// the value its generic reader hands out becomes the C# value again. Both directions are expression builders, compiled
/// once per record type into <see cref="AvroRecordMapping"/>.
/// </summary>
/// <param name="ToAvro">From an expression of the C# type to one of type <see cref="object"/>.</param>
/// <param name="FromAvro">From an expression of type <see cref="object"/> to one of the C# type.</param>
internal sealed record AvroFieldConversion(Func<Expression, Expression> ToAvro, Func<Expression, Expression> FromAvro)
{
    /// <summary>What a schema may be mapped to; every other pairing is refused when the mapping is built.</summary>
    public const string Supported =
        "string, long, int, boolean, float, double, bytes (byte[]), uuid (Guid), timestamp-micros (DateTimeOffset), a union of null with one of them (a nullable C# type), a record (a positional C# record) and an array of any of these but unions (a C# array)";

    static readonly Dictionary<Schema.Type, Type> Primitives = new()
    {
        [Schema.Type.String] = typeof(string),
        [Schema.Type.Long] = typeof(long),
        [Schema.Type.Int] = typeof(int),
        [Schema.Type.Boolean] = typeof(bool),
        [Schema.Type.Float] = typeof(float),
        [Schema.Type.Double] = typeof(double),
        [Schema.Type.Bytes] = typeof(byte[]),
    };

    /// <summary>The conversion between <paramref name="schema"/> and <paramref name="clrType"/>, or null when they do not fit.</summary>
    /// <param name="nullable">The C# value may be null: a nullable value type or a reference type annotated with <c>?</c>.</param>
    public static AvroFieldConversion? For(Schema schema, Type clrType, bool nullable)
    {
        if (schema is UnionSchema union)
            return nullable ? ForOptional(union, clrType) : null;
        if (nullable)
            return null;

        return schema switch
        {
            LogicalSchema { LogicalTypeName: "uuid" } when clrType == typeof(Guid) => new(
                value => Expression.Convert(value, typeof(object)),
                avro => Expression.Call(typeof(AvroFieldConversion), nameof(ToGuid), null, avro)),
            LogicalSchema { LogicalTypeName: "timestamp-micros" } when clrType == typeof(DateTimeOffset) => new(
                value => Expression.Convert(Expression.Property(value, nameof(DateTimeOffset.UtcDateTime)), typeof(object)),
                avro => Expression.Call(typeof(AvroTime), nameof(AvroTime.FromGeneric), null, avro)),
            PrimitiveSchema primitive when Primitives.TryGetValue(primitive.Tag, out var primitiveType) && primitiveType == clrType => new(
                value => Expression.Convert(value, typeof(object)),
                avro => Expression.Convert(avro, clrType)),
            RecordSchema record when !clrType.IsPrimitive && clrType != typeof(string) => ForRecord(record, clrType),
            ArraySchema array when clrType.IsArray && clrType != typeof(byte[]) => ForArray(array, clrType.GetElementType()!),
            _ => null,
        };
    }

    /// <summary>A nested record: the record type's own mapping, derived like a message's.</summary>
    static AvroFieldConversion ForRecord(RecordSchema schema, Type clrType)
    {
        var mapping = Expression.Constant(AvroRecordMapping.Build(clrType, schema, schema.Name));
        return new(
            value => Expression.Convert(Expression.Call(mapping, nameof(AvroRecordMapping.ToRecord), null, Expression.Convert(value, typeof(object))), typeof(object)),
            avro => Expression.Convert(Expression.Call(mapping, nameof(AvroRecordMapping.FromRecord), null, Expression.Convert(avro, typeof(GenericRecord))), clrType));
    }

    /// <summary>An array: each item converted by the item schema's conversion (Apache.Avro writes any array and reads <c>object[]</c>).</summary>
    static AvroFieldConversion? ForArray(ArraySchema schema, Type itemType)
    {
        if (For(schema.ItemSchema, itemType, nullable: false) is not { } item)
            return null;

        var clrItem = Expression.Parameter(itemType, "item");
        var avroItem = Expression.Parameter(typeof(object), "item");
        var toAvro = Expression.Constant(Expression.Lambda(typeof(Func<,>).MakeGenericType(itemType, typeof(object)), item.ToAvro(clrItem), clrItem).Compile());
        var fromAvro = Expression.Constant(Expression.Lambda(typeof(Func<,>).MakeGenericType(typeof(object), itemType), item.FromAvro(avroItem), avroItem).Compile());
        return new(
            value => Expression.Convert(Expression.Call(typeof(AvroFieldConversion), nameof(ToAvroArray), [itemType], value, toAvro), typeof(object)),
            avro => Expression.Call(typeof(AvroFieldConversion), nameof(FromAvroArray), [itemType], avro, fromAvro));
    }

    static object[] ToAvroArray<T>(T[] items, Func<T, object> convert) => Array.ConvertAll(items, item => convert(item));

    static T[] FromAvroArray<T>(object avro, Func<object, T> convert) => Array.ConvertAll((object[])avro, item => convert(item));

    /// <summary><c>["null", T]</c> (either order) and a nullable C# type: null is the null branch, anything else is T's.</summary>
    static AvroFieldConversion? ForOptional(UnionSchema union, Type clrType)
    {
        if (union.Count != 2 || union.Schemas.Count(branch => branch.Tag == Schema.Type.Null) != 1)
            return null;

        var underlying = Nullable.GetUnderlyingType(clrType);
        var inner = For(union.Schemas.Single(branch => branch.Tag != Schema.Type.Null), underlying ?? clrType, nullable: false);
        if (inner is null)
            return null;

        var nullObject = Expression.Constant(null, typeof(object));
        return new(
            value => Expression.Condition(
                Expression.Equal(value, Expression.Constant(null, clrType)),
                nullObject,
                inner.ToAvro(underlying is null ? value : Expression.Property(value, nameof(Nullable<int>.Value)))),
            avro => Expression.Condition(
                Expression.Equal(avro, nullObject),
                Expression.Default(clrType),
                Expression.Convert(inner.FromAvro(avro), clrType)));
    }

    /// <summary>Apache.Avro's reader converts a uuid to a <see cref="Guid"/>; a plain string is parsed in the same way.</summary>
    static Guid ToGuid(object value) => value is Guid guid ? guid : Guid.Parse((string)value, null);
}
