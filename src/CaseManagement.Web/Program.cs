using CaseManagement.Web.Infrastructure;

var (verb, hostArgs) = CommandLine.Parse(args);
var builder = WebApplication.CreateBuilder(hostArgs);
if (verb == "create-certificate")
{
    return await KeyRingProtection.CreateCertificateAsync(builder.Configuration, hostArgs);
}

CommandLine.ConnectAsOwnerFor(verb, builder.Configuration);
builder.AddCaseManagement();

var app = builder.Build();
ServiceRegistration.ValidateConfiguration(app.Services);
if (verb is not null)
{
    return await CommandLine.RunAsync(app, verb, hostArgs);
}

app.UseCaseManagement();
if (app.Environment.IsDevelopment() && app.Configuration.GetValue("Demo:SeedOnStartup", false))
{
    await using var scope = app.Services.CreateAsyncScope();
    await CommandLine.SeedDemoAsync(app, scope.ServiceProvider);
}

await app.RunAsync();
return 0;

/// <summary>Entry point; public for the integration tests' WebApplicationFactory.</summary>
public partial class Program;
