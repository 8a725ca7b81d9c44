using CaseManagement.Cases;
using System.Collections;
using System.Reflection;
using CaseManagement.DataProtection;
using CaseManagement.Organisations;
using CaseManagement.Web.Features.Administration;
using CaseManagement.Web.Features.Clients;
using NodaTime;

namespace CaseManagement.Tests.Operations;

/// <summary>
/// The Mapperly mappings (read models to view models). That every view-model member has a source is checked
/// by the compiler (RMG012 is an error); these tests check that what arrives is the right value.
/// </summary>
public sealed class MappingTests
{
    [Fact]
    public void Every_member_of_the_API_case_is_set_from_the_case_summary()
    {
        var summary = (CaseSummary)Sample(typeof(CaseSummary));
        Assert.All(typeof(CaseSummary).GetProperties().Where(p => p.CanWrite), p => Assert.True(IsSet(p.GetValue(summary)), $"sample lacks {p.Name}"));

        var response = ClientResponseMapper.ToResponse(summary);

        foreach (var property in typeof(ClientResponse).GetProperties())
        {
            var value = property.GetValue(response);
            Assert.True(IsSet(value), $"ClientResponse.{property.Name} is not set");
            if (typeof(CaseSummary).GetProperty(property.Name) is { } source)
            {
                Assert.Equal(source.GetValue(summary), value);
            }
        }

        Assert.Equal(new EligibilityResponse(summary.Verdict, summary.EligibilityReasons), response.Eligibility);
        Assert.Equal(new SupportPeriodResponse(summary.SupportStart, summary.SupportEnd, summary.ExtensionPending), response.SupportPeriod);
        Assert.Equal(ProcessingRules.ReadOnlyReason(summary), response.ReadOnlyReason);
    }

    [Fact]
    public void A_user_becomes_a_list_row_with_role_label_and_status_and_a_form_without_password_or_stamp()
    {
        var id = Guid.NewGuid();
        var teamId = Guid.NewGuid();
        var user = new UserSummary(id, "lead@musterstadt.example", "Lea Lead", Roles.TeamLead, teamId, "Team Nord", IsActive: true, IsLockedOut: false, TwoFactorEnabled: true, IsProtected: false);

        Assert.Equal([new UserListItem(id, "Lea Lead", "lead@musterstadt.example", "Teamleitung", "Team Nord", "aktiv", true)], AdministrationMapper.ToListItems([user]));
        Assert.Equal("gesperrt", AdministrationMapper.ToListItem(user with { IsLockedOut = true }).Status);
        Assert.Equal("deaktiviert", AdministrationMapper.ToListItem(user with { IsActive = false, IsLockedOut = true }).Status);

        var form = AdministrationMapper.ToForm(user with { IsActive = false, IsLockedOut = true });
        Assert.Equal(
            (id, "lead@musterstadt.example", "Lea Lead", Roles.TeamLead, teamId, false, true, (string?)null, ""),
            (form.Id, form.Email, form.DisplayName, form.Role, form.TeamId, form.IsActive, form.IsLockedOut, form.Password, form.ConcurrencyStamp));
    }

    [Fact]
    public void A_team_becomes_a_list_row_with_its_leads_joined()
    {
        var id = Guid.NewGuid();

        var rows = AdministrationMapper.ToListItems([new TeamSummary(id, "Team Nord", 3, ["Lea Lead", "Tom Lead"])]);

        Assert.Equal([new TeamListItem(id, "Team Nord", 3, "Lea Lead, Tom Lead")], rows);
    }

    /// <summary>
    /// A value of the type whose members all differ from their defaults: records through their widest constructor,
    /// then every settable member still at its default; lists with one element.
    /// </summary>
    private static object Sample(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type == typeof(string))
        {
            return "x";
        }

        if (type == typeof(Guid))
        {
            return Guid.NewGuid();
        }

        if (type == typeof(int))
        {
            return 7;
        }

        if (type == typeof(long))
        {
            return 7L;
        }

        if (type == typeof(bool))
        {
            return true;
        }

        if (type == typeof(LocalDate))
        {
            return new LocalDate(2026, 3, 4);
        }

        if (type == typeof(Instant))
        {
            return Instant.FromUtc(2026, 3, 4, 10, 0);
        }

        if (type.IsEnum)
        {
            return Enum.GetValues(type).Cast<object>().Last();
        }

        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(IReadOnlyList<>))
        {
            var items = Array.CreateInstance(type.GetGenericArguments()[0], 1);
            items.SetValue(Sample(type.GetGenericArguments()[0]), 0);
            return items;
        }

        var constructor = type.GetConstructors().OrderByDescending(c => c.GetParameters().Length).First();
        var value = constructor.Invoke(constructor.GetParameters().Select(p => Sample(p.ParameterType)).ToArray());
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.SetMethod?.IsPublic == true))
        {
            if (!IsSet(property.GetValue(value)))
            {
                property.SetValue(value, Sample(property.PropertyType));
            }
        }

        return value;
    }

    private static bool IsSet(object? value) => value switch
    {
        null => false,
        string s => s.Length > 0,
        IEnumerable e => e.Cast<object>().Any(),
        _ when value.GetType().IsValueType => !value.Equals(Activator.CreateInstance(value.GetType())),
        _ => true,
    };
}
