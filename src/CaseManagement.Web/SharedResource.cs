namespace CaseManagement.Web;

/// <summary>Marker type for the shared string resources (<c>Resources/SharedResource.en.resx</c>).</summary>
#pragma warning disable CA1052 // a marker type for IStringLocalizer<T>
public sealed class SharedResource
{
}
#pragma warning restore CA1052
