using System.Collections;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using CaseManagement.DataProtection;
using JasperFx.Events;
using NodaTime;

namespace CaseManagement.Tests.DataProtection;

/// <summary>The masking rules cover every event type: nothing but ids, enums, dates and case numbers survives an erasure.</summary>
public sealed class PersonalDataMaskTests
{
    private const string Marker = "MaskMarker4711";

    /// <summary>Where a text may stay after masking: the case number (a pseudonym once the name is gone) and the 2-letter nationality of the statistics record.</summary>
    private static readonly HashSet<string> Kept = ["caseNumber", "memberCaseNumber", "nationality"];

    public static TheoryData<string> EventTypes => new(ClientsStore.EventTypes.Select(t => t.Name));

    [Theory]
    [MemberData(nameof(EventTypes))]
    public void Every_event_type_is_masked_or_declared_free_of_personal_data(string typeName)
    {
        var type = ClientsStore.EventTypes.Single(t => t.Name == typeName);
        var data = Build(type);
        var e = (IEvent)Activator.CreateInstance(typeof(Event<>).MakeGenericType(type), data)!;

        var masked = PersonalDataMask.MaskInPlace(e);

        Assert.Equal(!PersonalDataMask.FreeOfPersonalData.Contains(type), masked);
        var left = Texts(JsonSerializer.SerializeToNode(e.Data, type, CaseManagement.DataProtection.ExportSubjectHandler.Json), "")
            .Where(t => t.Value.Contains(Marker, StringComparison.Ordinal) && !Kept.Contains(t.Property))
            .Select(t => t.Property).ToList();
        Assert.True(left.Count == 0, $"{typeName} keeps text in: {string.Join(", ", left)}");
    }

    [Fact]
    public void Masking_keeps_what_the_audit_and_the_statistics_need()
    {
        var opened = new CaseOpened(Guid.NewGuid(), "2026-0042",
            new PersonalData("Amina", "Haddad", new LocalDate(1990, 9, 9), Gender.Female, "SY", ["ar"], "ar", new LocalDate(2022, 1, 1)),
            new Housing(HousingType.FollowUpAccommodation, new LocalDate(2025, 1, 1)), new ResidenceStatus(ResidenceKind.RefugeeProtection, null),
            new LocalDate(2026, 2, 1), Guid.NewGuid(), Guid.NewGuid(), SystemClock.Instance.GetCurrentInstant());
        var e = new Event<CaseOpened>(opened);

        PersonalDataMask.MaskInPlace(e);

        Assert.Equal(("", "", new LocalDate(1990, 1, 1), Gender.Female, null), (e.Data.Person.FirstName, e.Data.Person.LastName, e.Data.Person.BirthDate, e.Data.Person.Gender, e.Data.Person.Nationality));
        Assert.Equal((opened.CaseNumber, opened.ManagerId, opened.SupportStart, opened.Housing), (e.Data.CaseNumber, e.Data.ManagerId, e.Data.SupportStart, e.Data.Housing));
    }

    private static IEnumerable<(string Property, string Value)> Texts(JsonNode? node, string property) => node switch
    {
        JsonObject o => o.SelectMany(p => Texts(p.Value, p.Key)),
        JsonArray a => a.SelectMany(item => Texts(item, property)),
        JsonValue v when v.TryGetValue<string>(out var text) => [(property, text)],
        _ => [],
    };

    /// <summary>An instance with the marker in every text, one element in every list, something in every optional value.</summary>
    private static object Build(Type type)
    {
        var nullable = Nullable.GetUnderlyingType(type);
        if (nullable is not null)
        {
            return Build(nullable);
        }

        if (type == typeof(string))
        {
            return Marker;
        }

        if (type == typeof(Guid))
        {
            return Guid.NewGuid();
        }

        if (type == typeof(LocalDate))
        {
            return new LocalDate(2026, 3, 1);
        }

        if (type == typeof(LocalDateTime))
        {
            return new LocalDateTime(2026, 3, 1, 10, 0);
        }

        if (type == typeof(Instant))
        {
            return Instant.FromUtc(2026, 3, 1, 10, 0);
        }

        if (type == typeof(int) || type == typeof(long) || type == typeof(bool))
        {
            return Convert.ChangeType(1, type, System.Globalization.CultureInfo.InvariantCulture);
        }

        if (type.IsEnum)
        {
            return Enum.GetValues(type).GetValue(0)!;
        }

        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(IReadOnlyList<>))
        {
            var element = type.GetGenericArguments()[0];
            var list = (IList)Activator.CreateInstance(typeof(List<>).MakeGenericType(element))!;
            list.Add(Build(element));
            return list;
        }

        var constructor = type.GetConstructors().OrderByDescending(c => c.GetParameters().Length).First();
        var instance = constructor.Invoke(constructor.GetParameters().Select(p => Build(p.ParameterType)).ToArray());
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.SetMethod?.IsPublic == true
                     && constructor.GetParameters().All(c => !string.Equals(c.Name, p.Name, StringComparison.OrdinalIgnoreCase))))
        {
            property.SetValue(instance, Build(property.PropertyType));
        }

        return instance;
    }
}
