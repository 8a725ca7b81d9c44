using System.Security.Claims;
using CaseManagement.Organisations;
using CaseManagement.Tests.Infrastructure;
using Marten;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace CaseManagement.Tests.Storage;

public sealed class TenancyTests(AppFixture app) : IClassFixture<AppFixture>
{
    [Fact]
    public async Task Marten_sessions_of_a_request_belong_to_the_signed_in_users_organisation()
    {
        var organisationId = Guid.NewGuid();
        await using var scope = app.Factory.Services.CreateAsyncScope();
        SignIn(scope.ServiceProvider, new Claim(CaseManagementClaims.OrganisationId, organisationId.ToString()));

        var session = scope.ServiceProvider.GetRequiredService<IDocumentSession>();
        var query = scope.ServiceProvider.GetRequiredService<IQuerySession>();

        Assert.Equal(TenantIds.For(organisationId), session.TenantId);
        Assert.Equal(TenantIds.For(organisationId), query.TenantId);
    }

    [Fact]
    public async Task Without_a_signed_in_user_no_Marten_session_can_be_opened()
    {
        await using var scope = app.Factory.Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<IHttpContextAccessor>().HttpContext = new DefaultHttpContext();

        Assert.Throws<UnauthorizedAccessException>(() => scope.ServiceProvider.GetRequiredService<IDocumentSession>());
    }

    [Fact]
    public async Task A_request_parameter_cannot_choose_the_tenant()
    {
        var own = Guid.NewGuid();
        await using var scope = app.Factory.Services.CreateAsyncScope();
        var context = SignIn(scope.ServiceProvider, new Claim(CaseManagementClaims.OrganisationId, own.ToString()));
        context.Request.QueryString = new QueryString($"?tenant={Guid.NewGuid()}&organisationId={Guid.NewGuid()}");
        context.Request.Headers["X-Tenant"] = Guid.NewGuid().ToString();

        Assert.Equal(TenantIds.For(own), scope.ServiceProvider.GetRequiredService<IDocumentSession>().TenantId);
    }

    private static DefaultHttpContext SignIn(IServiceProvider services, params Claim[] claims)
    {
        var context = new DefaultHttpContext
        {
            User = new ClaimsPrincipal(new ClaimsIdentity(
                claims.Append(new Claim(ClaimTypes.NameIdentifier, Guid.NewGuid().ToString())), "Test")),
        };
        services.GetRequiredService<IHttpContextAccessor>().HttpContext = context;
        return context;
    }
}
