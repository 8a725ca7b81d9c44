using System.Collections;
using System.Globalization;
using System.Reflection;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using FsCheck;
using FsCheck.Fluent;

namespace CaseManagement.Tests.Hardening;

/// <summary>
/// The shape of a request value, read by reflection from the type an action binds (its parameters, records and
/// forms), so that a new field or a new action is covered without a new test.
/// </summary>
public abstract record Shape
{
    public sealed record Text : Shape;

    public sealed record Day : Shape;

    public sealed record WholeNumber(bool Wide) : Shape;

    public sealed record Fraction : Shape;

    public sealed record Flag : Shape;

    public sealed record Choice(Type Enum) : Shape;

    public sealed record Id : Shape;

    public sealed record ListOf(Shape Element) : Shape;

    public sealed record Record(Type Type, IReadOnlyList<Member> Properties) : Shape;

    /// <summary>A type the generator does not know (e.g. an uploaded file): sent as nothing.</summary>
    public sealed record Opaque(Type Type) : Shape;

    public sealed record Member(string Name, Shape Shape);

    private const int MaxDepth = 5;

    /// <summary>The shape of <paramref name="type"/>; property names as the transport names them (JSON: camelCase).</summary>
    public static Shape Of(Type type, bool json, int depth = 0)
    {
        ArgumentNullException.ThrowIfNull(type);
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type == typeof(string))
        {
            return new Text();
        }

        if (type == typeof(NodaTime.LocalDate) || type == typeof(DateOnly) || type == typeof(DateTime))
        {
            return new Day();
        }

        if (type == typeof(int) || type == typeof(short))
        {
            return new WholeNumber(Wide: false);
        }

        if (type == typeof(long))
        {
            return new WholeNumber(Wide: true);
        }

        if (type == typeof(decimal) || type == typeof(double) || type == typeof(float))
        {
            return new Fraction();
        }

        if (type == typeof(bool))
        {
            return new Flag();
        }

        if (type.IsEnum)
        {
            return new Choice(type);
        }

        if (type == typeof(Guid))
        {
            return new Id();
        }

        if (type.IsArray)
        {
            return new ListOf(Of(type.GetElementType()!, json, depth + 1));
        }

        if (typeof(IEnumerable).IsAssignableFrom(type) && type.IsGenericType)
        {
            return new ListOf(Of(type.GetGenericArguments()[0], json, depth + 1));
        }

        if (depth < MaxDepth && type.IsClass && type.Namespace?.StartsWith("CaseManagement", StringComparison.Ordinal) == true)
        {
            var constructorParameters = type.GetConstructors().SelectMany(c => c.GetParameters()).Select(p => p.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
            var properties = type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
                .Where(p => p.GetIndexParameters().Length == 0 && (p.SetMethod?.IsPublic == true || constructorParameters.Contains(p.Name)))
                .Select(p => new Member(json ? JsonName(p) : p.Name, Of(p.PropertyType, json, depth + 1)))
                .Where(p => p.Shape is not Opaque)
                .ToList();
            return new Record(type, properties);
        }

        return new Opaque(type);
    }

    private static string JsonName(PropertyInfo property) =>
        property.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name ?? JsonNamingPolicy.CamelCase.ConvertName(property.Name);
}

/// <summary>A generated request value: rendered as JSON for API bodies, flattened into fields for query strings and forms.</summary>
public abstract record Value
{
    /// <summary>A scalar; <paramref name="Literal"/>: written into JSON as it is (a number, true/false), not as a string.</summary>
    public sealed record Scalar(string Text, bool Literal = false) : Value;

    public sealed record Items(IReadOnlyList<Value> Values) : Value;

    public sealed record Fields(IReadOnlyList<(string Name, Value Value)> Values) : Value;

    public sealed record Null : Value;

    /// <summary>JSON of a type the field does not have (API bodies only).</summary>
    public sealed record RawJson(string Json) : Value;

    public void WriteJson(StringBuilder json)
    {
        ArgumentNullException.ThrowIfNull(json);
        switch (this)
        {
            case Scalar { Literal: true } s:
                json.Append(s.Text);
                break;
            case Scalar s:
                json.Append(JsonSerializer.Serialize(s.Text));
                break;
            case Items list:
                json.Append('[');
                for (var i = 0; i < list.Values.Count; i++)
                {
                    json.Append(i == 0 ? "" : ",");
                    list.Values[i].WriteJson(json);
                }

                json.Append(']');
                break;
            case Fields record:
                json.Append('{');
                for (var i = 0; i < record.Values.Count; i++)
                {
                    json.Append(i == 0 ? "" : ",").Append(JsonSerializer.Serialize(record.Values[i].Name)).Append(':');
                    record.Values[i].Value.WriteJson(json);
                }

                json.Append('}');
                break;
            case RawJson raw:
                json.Append(raw.Json);
                break;
            default:
                json.Append("null");
                break;
        }
    }

    /// <summary>Form or query fields as a browser sends them: <c>Goals[0].NewText</c>, a list of scalars as repeated names.</summary>
    public IEnumerable<KeyValuePair<string, string>> Flatten(string name)
    {
        switch (this)
        {
            case Scalar s:
                yield return new(name, s.Text);
                break;
            case RawJson raw:
                yield return new(name, raw.Json);
                break;
            case Null:
                yield return new(name, "");
                break;
            case Items list:
                for (var i = 0; i < list.Values.Count; i++)
                {
                    var item = list.Values[i];
                    foreach (var field in item.Flatten(item is Fields ? $"{name}[{i}]" : name))
                    {
                        yield return field;
                    }
                }

                break;
            case Fields record:
                foreach (var (property, value) in record.Values)
                {
                    foreach (var field in value.Flatten(name.Length == 0 ? property : $"{name}.{property}"))
                    {
                        yield return field;
                    }
                }

                break;
        }
    }

    /// <summary>Short description for a failure message (a 1 MB text is not printed).</summary>
    public string Describe() => this switch
    {
        Scalar s when s.Text.Length > 40 => $"„{Printable(s.Text[..12])}…“ ({s.Text.Length:N0} Zeichen)",
        Scalar s => $"„{Printable(s.Text)}“",
        Items list => $"Liste mit {list.Values.Count:N0} Einträgen",
        RawJson raw => raw.Json,
        Null => "null",
        _ => "Objekt",
    };

    private static string Printable(string text) =>
        string.Concat(text.Select(c => c < ' ' || c == '\u007f' || char.IsSurrogate(c) ? $"\\u{(int)c:X4}" : c.ToString()));
}

/// <summary>Where the hostile value went and what it was.</summary>
public sealed record Hostility(string Field, string Kind, Value Value);

/// <summary>
/// FsCheck generators of request values from their <see cref="Shape"/>: plausible values of each type, and
/// hostile ones (control characters, 1 MB texts, years 0001/9999/1899/2101, nulls inside lists,
/// 10,000-element lists, wrong JSON types, undefined choices, huge numbers).
/// </summary>
public static class ValueGenerators
{
    /// <summary>More than a request body may carry (1 MB) on its own.</summary>
    public static readonly string OneMegabyte = new('x', 1_048_577);

    public static readonly string OverLongText = new('y', global::CaseManagement.Common.InputLimits.MaxTextLength + 1);

    private static readonly string[] Words =
        ["Deutsch", "Kurs", "Ämter", "Wohnung", "Arbeit", "Schule", "Gespräch", "Straße", "Integration", "Beratung", "Jobcenter", "B1", "Zeugnis", "ar", "fa", "42"];

    private static readonly NodaTime.LocalDate Anchor = new(2026, 1, 1);

    /// <summary>A value of the shape's type that a user could well have entered.</summary>
    public static Gen<Value> Plausible(Shape shape) => shape switch
    {
        Shape.Text => Gen.Choose(1, 3).SelectMany(n => Gen.Elements(Words).ArrayOf(n)).Select(Scalar(words => string.Join(' ', words))),
        Shape.Day => Gen.Choose(-3000, 300).Select(days => (Value)new Value.Scalar(Iso(Anchor.PlusDays(days)))),
        Shape.WholeNumber => Gen.Choose(0, 40).Select(n => (Value)new Value.Scalar(n.ToString(CultureInfo.InvariantCulture), Literal: true)),
        Shape.Fraction => Gen.Choose(0, 400).Select(n => (Value)new Value.Scalar((n / 4m).ToString(CultureInfo.InvariantCulture), Literal: true)),
        Shape.Flag => Gen.Elements("true", "false").Select(b => (Value)new Value.Scalar(b, Literal: true)),
        Shape.Choice choice => Gen.Elements(Enum.GetNames(choice.Enum)).Select(name => (Value)new Value.Scalar(name)),
        Shape.Id => Ids,
        Shape.ListOf list => Gen.Choose(0, 3).SelectMany(n => Plausible(list.Element).ListOf(n)).Select(items => (Value)new Value.Items(items.ToList())),
        Shape.Record record => Gen.CollectToList(record.Properties, p => Plausible(p.Shape).Select(v => (p.Name, v)))
            .Select(fields => (Value)new Value.Fields(fields.ToList())),
        _ => Gen.Constant<Value>(new Value.Null()),
    };

    public static Gen<Value> Ids => Gen.Choose(int.MinValue, int.MaxValue).ArrayOf(4)
        .Select(parts => (Value)new Value.Scalar(new Guid(parts.SelectMany(BitConverter.GetBytes).ToArray()).ToString()));

    /// <summary>
    /// Numbers pass the input guard unchanged and reach the use cases (paging, durations, thresholds), so each of
    /// their hostile values is tried; for the other shapes the guard's answer does not depend on the kind, one is enough.
    /// </summary>
    public static bool TryEveryKind(Shape shape) => shape is Shape.WholeNumber;

    /// <summary>
    /// Every kind of hostile replacement for a value of <paramref name="shape"/>, each a generator of its own (the
    /// plausible value is given, so that a list can keep its other entries). <paramref name="json"/>: the value travels
    /// in a JSON body, so wrong JSON types are possible too; <paramref name="inUrl"/>: in the address, so at most
    /// 10,001 characters. Empty for a shape that has none (see <see cref="CanBeHostile"/>).
    /// </summary>
    public static IReadOnlyList<Gen<(string Kind, Value Value)>> HostileKinds(Shape shape, Value plausible, bool json, bool inUrl)
    {
        var kinds = new List<Gen<(string, Value)>>();
        void Add(string kind, Value value) => kinds.Add(Gen.Constant((kind, value)));
        void Raw(string kind, string raw)
        {
            if (json)
            {
                Add(kind, new Value.RawJson(raw));
            }
        }

        switch (shape)
        {
            case Shape.Text:
                Add("NUL-Zeichen", new Value.Scalar("Deutsch\0lernen"));
                kinds.Add(Gen.Elements('\u0001', '\u0008', '\u001b', '\u007f').Select(c => ($"Steuerzeichen U+{(int)c:X4}", (Value)new Value.Scalar($"Text{c}Ende"))));
                Add("10.001 Zeichen", new Value.Scalar(OverLongText));
                if (!inUrl)
                {
                    Add("1 MB Text", new Value.Scalar(OneMegabyte));
                }

                Raw("Objekt statt Text", "{\"text\":\"x\"}");
                Raw("Zahl statt Text", "12345");
                break;
            case Shape.Day:
                kinds.Add(Gen.Elements("0001-01-01", "9999-12-31", "1899-12-31", "2101-01-01").Select(d => ($"Datum {d}", (Value)new Value.Scalar(d))));
                Add("kein Datum", new Value.Scalar("31.02.2026"));
                Raw("Zahl statt Datum", "20260101");
                Raw("Objekt statt Datum", "{\"year\":2026}");
                break;
            case Shape.WholeNumber:
                foreach (var huge in new[] { int.MaxValue.ToString(CultureInfo.InvariantCulture), int.MinValue.ToString(CultureInfo.InvariantCulture),
                             long.MaxValue.ToString(CultureInfo.InvariantCulture), "99999999999999999999999999" })
                {
                    Add($"riesige Zahl {huge}", new Value.Scalar(huge, Literal: true));
                }

                Add("Text statt Zahl", new Value.Scalar("zwölf"));
                Raw("Objekt statt Zahl", "{\"n\":1}");
                break;
            case Shape.Fraction:
                Add("riesige Zahl 1e400", new Value.Scalar("1e400", Literal: true));
                Add("Text statt Zahl", new Value.Scalar("zwölf"));
                break;
            case Shape.Flag:
                Add("Text statt Wahrheitswert", new Value.Scalar("vielleicht"));
                Raw("Zahl statt Wahrheitswert", "2");
                break;
            case Shape.Choice:
                Add("undefinierter Name", new Value.Scalar("GibtEsNicht"));
                kinds.Add(Gen.Elements("99", "-1", "2147483647").Select(n => ($"undefinierte Zahl {n}", (Value)new Value.Scalar(n, Literal: true))));
                Raw("Objekt statt Auswahl", "{\"value\":1}");
                break;
            case Shape.Id:
                Add("keine GUID", new Value.Scalar("keine-guid"));
                Raw("Zahl statt GUID", "42");
                break;
            case Shape.ListOf list:
                var items = plausible is Value.Items existing ? existing.Values : [];
                kinds.Add(Plausible(list.Element).Select(first => ("null in der Liste", (Value)new Value.Items([first, new Value.Null(), .. items]))));
                if (!inUrl)
                {
                    kinds.Add(Plausible(list.Element).Select(first => ("10.000 Einträge", (Value)new Value.Items(Enumerable.Repeat(first, 10_000).ToList()))));
                }

                Raw("Text statt Liste", "\"ar\"");
                Raw("Objekt statt Liste", "{\"0\":\"ar\"}");
                break;
            case Shape.Record:
                Raw("Text statt Objekt", "\"x\"");
                Raw("Liste statt Objekt", "[]");
                break;
        }

        return kinds;
    }

    /// <summary>Whether <see cref="HostileKinds"/> has a value for the shape: an object only in JSON (in a form its fields are the targets).</summary>
    public static bool CanBeHostile(Shape shape, bool json) => shape switch
    {
        Shape.Record => json,
        Shape.Opaque => false,
        _ => true,
    };

    /// <summary>
    /// Every place inside a value where a hostile replacement can go: the value itself, each property of a record
    /// and the elements of a list (as the path <c>goals[0].newText</c>).
    /// </summary>
    public static IEnumerable<(string Path, Shape Shape, Value Value, Func<Value, Value> Replace)> Targets(string path, Shape shape, Value value)
    {
        yield return (path, shape, value, v => v);
        switch (shape, value)
        {
            case (Shape.Record record, Value.Fields fields):
                for (var i = 0; i < fields.Values.Count; i++)
                {
                    var index = i;
                    var (name, inner) = fields.Values[i];
                    var property = record.Properties.First(p => p.Name == name);
                    foreach (var (innerPath, innerShape, innerValue, replace) in Targets(path.Length == 0 ? name : $"{path}.{name}", property.Shape, inner))
                    {
                        yield return (innerPath, innerShape, innerValue, v => new Value.Fields(fields.Values.Select((f, j) => j == index ? (f.Name, replace(v)) : f).ToList()));
                    }
                }

                break;
            case (Shape.ListOf list, Value.Items items) when items.Values.Count > 0:
                foreach (var (innerPath, innerShape, innerValue, replace) in Targets($"{path}[0]", list.Element, items.Values[0]))
                {
                    yield return (innerPath, innerShape, innerValue, v => new Value.Items([replace(v), .. items.Values.Skip(1)]));
                }

                break;
        }
    }

    private static Func<string[], Value> Scalar(Func<string[], string> text) => words => new Value.Scalar(text(words));

    private static string Iso(NodaTime.LocalDate date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
