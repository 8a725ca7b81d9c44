// The C# scenario of GeneratedClientTests: compiled at test time together with the NSwag client generated from the
// served document (namespace CaseManagement.GeneratedClient), run against the app on its Kestrel port. No JSON is
// written here: every request and answer is a generated type. Throws on a failed step; returns the steps it did.
using System.Net.Http.Headers;

namespace CaseManagement.GeneratedClient;

public static class CSharpScenario
{
    public static async Task<List<string>> RunAsync(string baseUrl, string email, string password)
    {
        var steps = new List<string>();
        using var http = new HttpClient();
        // The document's server is "/" (the app that serves it): the generated client takes the address as BaseUrl.
        var api = new CaseManagementClient(http) { BaseUrl = baseUrl };

        var token = await api.LoginAsync(new LoginRequest { Email = email, Password = password });
        Check(token.AccessToken.Length > 0, "sign-in without a token");
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token.AccessToken);
        steps.Add("signed-in");

        var created = await api.CreateCaseAsync(Guid.NewGuid().ToString(), new CreateClientRequest
        {
            FirstName = "Generiert",
            LastName = "NSwag-" + Guid.NewGuid().ToString("N")[..8],
            BirthDate = new DateOnly(1990, 5, 17),
            Gender = Gender.Female,
            Nationality = "SY",
            SupportStart = new DateOnly(2026, 2, 1),
            Housing = new HousingInput { Type = HousingType.FollowUpAccommodation, Since = new DateOnly(2026, 1, 15) },
            ResidenceStatus = new ResidenceStatusInput { Kind = ResidenceKind.RefugeeProtection },
        });
        steps.Add($"created {created.CaseNumber} version {created.Version}");

        var goal = await api.AddGoalAsync(created.Id, $"\"{created.Version}\"", null, null, new GoalInput
        {
            Field = FieldOfAction.Language,
            Text = "Deutschkurs B1 abschließen",
            AgreedOn = new DateOnly(2026, 2, 2),
            TargetDate = new DateOnly(2026, 12, 31),
        });
        steps.Add($"goal added version {goal.Version}");

        var file = await api.GetCaseAsync(created.Id);
        Check(file.BirthDate == new DateOnly(1990, 5, 17), $"birth date {file.BirthDate}");
        Check(file.Gender == Gender.Female && file.Residence == ResidenceKind.RefugeeProtection && file.Status == CaseStatus.Open, "enums");
        var readGoal = file.Goals.Single();
        Check(readGoal.Field == FieldOfAction.Language && readGoal.TargetDate == new DateOnly(2026, 12, 31) && readGoal.Status == GoalStatus.Agreed, "goal");
        Check(file.Version == goal.Version, $"version {file.Version} after the goal {goal.Version}");
        steps.Add($"read {file.Status} {file.Residence} born {file.BirthDate:yyyy-MM-dd} goal {readGoal.Field} until {readGoal.TargetDate:yyyy-MM-dd}");

        try
        {
            await api.AddGoalAsync(created.Id, $"\"{created.Version}\"", null, null, new GoalInput
            {
                Field = FieldOfAction.Housing,
                Text = "Mit einer veralteten Version",
                AgreedOn = new DateOnly(2026, 2, 2),
                TargetDate = new DateOnly(2026, 12, 31),
            });
            throw new InvalidOperationException("a stale If-Match was accepted");
        }
        catch (ApiException<Problem> stale) when (stale.StatusCode == 412)
        {
            Check(stale.Result.CurrentVersion == file.Version, $"currentVersion {stale.Result.CurrentVersion}");
            steps.Add($"412 {stale.Result.Title} currentVersion {stale.Result.CurrentVersion}");
        }

        using var pdf = await api.GetPlanPdfAsync(created.Id, "ar");
        using var bytes = new MemoryStream();
        await pdf.Stream.CopyToAsync(bytes);
        var head = System.Text.Encoding.ASCII.GetString(bytes.ToArray(), 0, 4);
        Check(head == "%PDF", $"plan starts with {head}");
        steps.Add($"pdf {bytes.Length} bytes");
        return steps;
    }

    private static void Check(bool condition, string what)
    {
        if (!condition)
        {
            throw new InvalidOperationException("C# scenario: " + what);
        }
    }
}
