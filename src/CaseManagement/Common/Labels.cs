using System.Globalization;
using System.Resources;

namespace CaseManagement.Common;

/// <summary>
/// The display labels of the domain's values (fields of action, statuses, services, reminder kinds, roles …) in
/// one place: the resource file Common/Labels.resx, keyed <c>&lt;Type&gt;.&lt;Value&gt;</c>. The texts are German, the
/// product language — the domain's messages embed them; the web's English switch translates them with the rest of
/// its texts. A test (Common/LabelsTests) checks that every value of every labelled type has its label.
/// </summary>
public static class Labels
{
    private static readonly ResourceManager Texts = new("CaseManagement.Common.Labels", typeof(Labels).Assembly);

    /// <summary>The label of an enum value; the value's name if the resource has none.</summary>
    public static string Of<T>(T value) where T : struct, Enum => Find(typeof(T).Name, value.ToString()) ?? value.ToString();

    /// <summary>The label of a value of a named group (e.g. <c>Role</c>), or null.</summary>
    public static string? Find(string group, string value) => Texts.GetString($"{group}.{value}", CultureInfo.InvariantCulture);
}
