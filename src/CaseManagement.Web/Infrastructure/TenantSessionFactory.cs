using CaseManagement.Tenancy;
using Marten;

namespace CaseManagement.Web.Infrastructure;

/// <summary>
/// Every Marten session of a request is opened for the signed-in user's organisation (conjoined tenancy).
/// There is no way to pick a tenant from the request.
/// </summary>
public sealed class TenantSessionFactory(IDocumentStore store, ICurrentUser currentUser) : ISessionFactory
{
    public IQuerySession QuerySession() => store.QuerySession(currentUser.RequireTenantId());

    public IDocumentSession OpenSession() => store.LightweightSession(currentUser.RequireTenantId());
}
