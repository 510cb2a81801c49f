using Avro;

namespace Accounts.Contracts.Tests;

/// <summary>
/// The Avro specification's schema resolution rules, checked over two schema trees: every reason a reader with one schema
/// cannot read data written with another, each naming the field path and the rule it breaks. Empty: the reader can read it.
/// </summary>
public static class AvroResolutionRules
{
    public static IReadOnlyList<string> WhyReaderCannotRead(Schema writer, Schema reader)
    {
        var problems = new List<string>();
        Check(writer, reader, reader.Name, problems);
        return problems;
    }

    static void Check(Schema writer, Schema reader, string path, List<string> problems)
    {
        writer = Unwrap(writer);
        reader = Unwrap(reader);

        if (writer is UnionSchema writerUnion)
        {
            // Data may have been written in any branch: the reader must resolve each of them.
            foreach (var branch in writerUnion.Schemas)
            {
                var branchProblems = new List<string>();
                Check(branch, reader, path, branchProblems);
                if (branchProblems.Count > 0)
                    problems.Add($"{path}: the writer's union branch {Describe(branch)} cannot be read ({string.Join("; ", branchProblems)})");
            }

            return;
        }

        if (reader is UnionSchema readerUnion)
        {
            if (!readerUnion.Schemas.Any(branch => { var p = new List<string>(); Check(writer, branch, path, p); return p.Count == 0; }))
                problems.Add($"{path}: the writer's {Describe(writer)} matches no branch of the reader's union {Describe(reader)}");
            return;
        }

        switch (writer, reader)
        {
            case (RecordSchema w, RecordSchema r):
                CheckRecord(w, r, path, problems);
                break;
            case (EnumSchema w, EnumSchema r):
                foreach (var symbol in w.Symbols.Where(symbol => !r.Symbols.Contains(symbol) && r.Default is null))
                    problems.Add($"{path}: the writer's enum symbol '{symbol}' is unknown to the reader, which has no default symbol");
                break;
            case (ArraySchema w, ArraySchema r):
                Check(w.ItemSchema, r.ItemSchema, $"{path}[]", problems);
                break;
            case (MapSchema w, MapSchema r):
                Check(w.ValueSchema, r.ValueSchema, $"{path}{{}}", problems);
                break;
            case (FixedSchema w, FixedSchema r) when w.Size != r.Size || w.Fullname != r.Fullname:
                problems.Add($"{path}: fixed {w.Fullname}({w.Size}) cannot be read as fixed {r.Fullname}({r.Size})");
                break;
            case (FixedSchema, FixedSchema):
                break;
            case (PrimitiveSchema w, PrimitiveSchema r) when !IsPromotable(w.Tag, r.Tag):
                problems.Add($"{path}: type changed from {Describe(w)} to {Describe(r)}, which is not an Avro promotion");
                break;
            case (PrimitiveSchema, PrimitiveSchema):
                break;
            default:
                problems.Add($"{path}: type changed from {Describe(writer)} to {Describe(reader)}");
                break;
        }
    }

    static void CheckRecord(RecordSchema writer, RecordSchema reader, string path, List<string> problems)
    {
        // Record aliases are not consulted (Apache.Avro keeps them internal and no contract uses them): a rename is a break.
        if (writer.Fullname != reader.Fullname)
        {
            problems.Add($"{path}: record name changed from {writer.Fullname} to {reader.Fullname}");
            return;
        }

        foreach (var readerField in reader.Fields)
        {
            var writerField = writer.Fields.FirstOrDefault(f => f.Name == readerField.Name)
                ?? writer.Fields.FirstOrDefault(f => readerField.Aliases?.Contains(f.Name) == true);

            if (writerField is null)
            {
                if (readerField.DefaultValue is null)
                    problems.Add($"{path}.{readerField.Name}: the reader expects field '{readerField.Name}', which the writer does not have, and the field has no default");
                continue;
            }

            Check(writerField.Schema, readerField.Schema, $"{path}.{readerField.Name}", problems);
        }
    }

    /// <summary>Logical types resolve by their underlying type.</summary>
    static Schema Unwrap(Schema schema) => schema is LogicalSchema logical ? logical.BaseSchema : schema;

    static bool IsPromotable(Schema.Type writer, Schema.Type reader) => writer == reader || (writer, reader) switch
    {
        (Schema.Type.Int, Schema.Type.Long or Schema.Type.Float or Schema.Type.Double) => true,
        (Schema.Type.Long, Schema.Type.Float or Schema.Type.Double) => true,
        (Schema.Type.Float, Schema.Type.Double) => true,
        (Schema.Type.String, Schema.Type.Bytes) or (Schema.Type.Bytes, Schema.Type.String) => true,
        _ => false,
    };

    static string Describe(Schema schema) => schema switch
    {
        UnionSchema union => $"[{string.Join(", ", union.Schemas.Select(Describe))}]",
        NamedSchema named => $"{named.Tag.ToString().ToLowerInvariant()} {named.Fullname}",
        _ => schema.Tag.ToString().ToLowerInvariant(),
    };
}
