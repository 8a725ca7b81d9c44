// The TypeScript scenario of GeneratedClientTests: types from openapi-typescript (api.d.ts, generated from the served
// document), requests with openapi-fetch, compiled with tsc --strict and run with node against the app:
// CM_BASE_URL, CM_EMAIL, CM_PASSWORD. No JSON is written here; the last line printed is the summary the test checks.
import createClient, { type Middleware } from "openapi-fetch";
import type { components, paths } from "./api.js";

type Problem = components["schemas"]["Problem"];

function env(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} fehlt`);
  return value;
}

function check(condition: boolean, what: string): void {
  if (!condition) throw new Error(`TypeScript scenario: ${what}`);
}

const api = createClient<paths>({ baseUrl: env("CM_BASE_URL") });

const login = await api.POST("/api/v1/auth/login", { body: { email: env("CM_EMAIL"), password: env("CM_PASSWORD") } });
if (!login.data) throw new Error(`sign-in: ${login.response.status}`);
const accessToken: string = login.data.accessToken;
const bearer: Middleware = {
  onRequest({ request }) {
    request.headers.set("Authorization", `Bearer ${accessToken}`);
    return request;
  },
};
api.use(bearer);

const created = await api.POST("/api/v1/clients", {
  body: {
    firstName: "Generiert",
    lastName: `TypeScript-${Math.random().toString(36).slice(2, 10)}`,
    birthDate: "1990-05-17",
    gender: "Female",
    nationality: "SY",
    supportStart: "2026-02-01",
    housing: { type: "FollowUpAccommodation", since: "2026-01-15" },
    residenceStatus: { kind: "RefugeeProtection", validUntil: null },
  },
});
if (!created.data) throw new Error(`create: ${created.response.status}`);
const caseId: string = created.data.id;

const goal = await api.POST("/api/v1/clients/{id}/goals", {
  params: { path: { id: caseId }, header: { "If-Match": `"${created.data.version}"` } },
  body: { field: "Language", text: "Deutschkurs B1 abschließen", agreedOn: "2026-02-02", targetDate: "2026-12-31" },
});
if (!goal.data) throw new Error(`add goal: ${goal.response.status}`);

const read = await api.GET("/api/v1/clients/{id}", { params: { path: { id: caseId } } });
if (!read.data) throw new Error(`read: ${read.response.status}`);
const file: components["schemas"]["ClientResponse"] = read.data;
const status: components["schemas"]["CaseStatus"] = file.status;
const firstGoal = file.goals[0];
check(firstGoal !== undefined && firstGoal.field === "Language" && firstGoal.targetDate === "2026-12-31", "goal");
check(file.version === goal.data.version, "version after the goal");

const stale = await api.POST("/api/v1/clients/{id}/goals", {
  params: { path: { id: caseId }, header: { "If-Match": `"${created.data.version}"` } },
  body: { field: "Housing", text: "Mit einer veralteten Version", agreedOn: "2026-02-02", targetDate: "2026-12-31" },
});
check(stale.data === undefined && stale.response.status === 412, `stale write answered ${stale.response.status}`);
const problem: Problem | undefined = stale.error;
if (!problem) throw new Error("412 without a problem");

const pdf = await api.GET("/api/v1/clients/{id}/plan.pdf", { params: { path: { id: caseId } }, parseAs: "arrayBuffer" });
if (!pdf.data) throw new Error(`plan.pdf: ${pdf.response.status}`);
const bytes = new Uint8Array(pdf.data);

console.log(JSON.stringify({
  signedIn: accessToken.length > 0,
  caseNumber: created.data.caseNumber,
  createdVersion: created.data.version,
  goalVersion: goal.data.version,
  status,
  birthDate: file.birthDate,
  goalField: firstGoal?.field,
  staleStatus: problem.status,
  currentVersion: problem.currentVersion,
  pdfStart: new TextDecoder().decode(bytes.slice(0, 4)),
  pdfBytes: bytes.length,
}));
