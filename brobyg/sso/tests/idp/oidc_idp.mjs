// A real OpenID Connect provider (the certified npm `oidc-provider`) for the end-to-end tests.
// The tests start it on localhost with IDP_PORT and IDP_CONFIG (clients and accounts as JSON).
// Its log-in step is scripted: /interaction/<uid>?account=<id>&amr=pwd,mfa finishes the
// interaction as that account, with those authentication methods, and grants the scopes asked.
// Without ?account= (a person trying the demo) it shows the accounts to choose from.
import http from "node:http";
import Provider from "oidc-provider";

const port = Number(process.env.IDP_PORT);
const config = JSON.parse(process.env.IDP_CONFIG);

const provider = new Provider(`http://127.0.0.1:${port}`, {
  clients: config.clients,
  claims: {
    openid: ["sub", "amr"],
    email: ["email", "email_verified"],
    profile: ["name", "groups"],
  },
  conformIdTokenClaims: false,
  features: {
    devInteractions: { enabled: false },
    rpInitiatedLogout: { enabled: true },
  },
  cookies: { keys: ["brobyg-test-idp"] },
  interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
  findAccount: async (ctx, id) => ({
    accountId: id,
    claims: async () => ({ sub: id, email_verified: true, ...config.accounts[id] }),
  }),
});

const callback = provider.callback();

http
  .createServer(async (req, res) => {
    const url = new URL(req.url, `http://127.0.0.1:${port}`);
    const match = url.pathname.match(/^\/interaction\/([^/]+)$/);
    if (!match) {
      callback(req, res);
      return;
    }
    try {
      const details = await provider.interactionDetails(req, res);
      const accountId = url.searchParams.get("account");
      if (!accountId) {
        const choices = Object.entries(config.accounts)
          .map(([id, account]) => [
            `<li>${account.name} (${account.groups.join(", ")}):`,
            ` <a href="?account=${id}&amr=pwd,mfa">with MFA</a>,`,
            ` <a href="?account=${id}&amr=pwd">password only</a></li>`,
          ].join(""))
          .join("");
        res.setHeader("Content-Type", "text/html; charset=utf-8");
        res.end(`<!doctype html><title>Test IdP</title><h1>Test IdP</h1><ul>${choices}</ul>`);
        return;
      }
      const amr = (url.searchParams.get("amr") || "pwd").split(",");
      const grant = new provider.Grant({ accountId, clientId: details.params.client_id });
      grant.addOIDCScope(details.params.scope);
      const grantId = await grant.save();
      await provider.interactionFinished(
        req,
        res,
        { login: { accountId, amr }, consent: { grantId } },
        { mergeWithLastSubmission: false },
      );
    } catch (error) {
      res.statusCode = 500;
      res.end(String(error));
    }
  })
  .listen(port, "127.0.0.1", () => {
    console.log("READY");
  });
