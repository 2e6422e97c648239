import { InstallProvider, type Installation, type InstallationQuery, type InstallationStore } from '@slack/oauth';
import type { Authorize, Logger as BoltLogger, webApi } from '@slack/bolt';
import type { Engine } from '../../core/index.js';

interface InstallationDoc {
  id: string;
  installation: Installation;
}

type Query = Pick<InstallationQuery<boolean>, 'teamId' | 'enterpriseId' | 'isEnterpriseInstall'>;

/** Workspace installs are keyed by team; an org-wide (Enterprise Grid) install by its enterprise. */
function key(q: Query): string {
  return q.isEnterpriseInstall && q.enterpriseId ? `enterprise:${q.enterpriseId}` : String(q.teamId);
}

/** Installations live in the tenant the team belongs to, in the adapter's own document collection. */
export function installationStore(engine: Engine): InstallationStore {
  const docs = (team: string | null | undefined) =>
    engine.store.tenant(engine.tenantFor('slack', team ?? null)).docs<InstallationDoc>('slack', 'installations');
  return {
    async storeInstallation(installation) {
      const q = { teamId: installation.team?.id, enterpriseId: installation.enterprise?.id, isEnterpriseInstall: Boolean(installation.isEnterpriseInstall) };
      // An install follows the same tenancy rule as events: a workspace no tenant lists is not stored.
      const refused = engine.unmappedScope('slack', q.isEnterpriseInstall ? q.enterpriseId ?? null : q.teamId ?? null);
      if (refused) throw new Error(refused);
      await docs(q.teamId).put({ id: key(q), installation: installation as Installation });
    },
    async fetchInstallation(q) {
      const d = await docs(q.teamId).get(key(q));
      if (!d) throw new Error(`no Slack installation for ${key(q)}`);
      return d.installation;
    },
    async deleteInstallation(q) {
      await docs(q.teamId).delete(key(q));
    },
  };
}

/** Where bot tokens come from: one env token, or the installation of each workspace. */
export interface Tokens {
  authorize: Authorize<boolean>;
  /** The token to send with for a tenant: the DM's team when known, else any workspace of the tenant. */
  forSend(tenant: string, team: string | null): Promise<string | null>;
  installer: InstallProvider | null;
}

export function singleWorkspace(botToken: string): Tokens {
  return { authorize: async () => ({ botToken }), forSend: async () => botToken, installer: null };
}

export interface OAuthSettings {
  clientId: string;
  clientSecret: string;
  stateSecret: string;
  scopes: string[];
}

export function multiWorkspace(engine: Engine, oauth: OAuthSettings, options: webApi.WebClientOptions, logger: BoltLogger): Tokens {
  const installer = new InstallProvider({
    clientId: oauth.clientId,
    clientSecret: oauth.clientSecret,
    stateSecret: oauth.stateSecret,
    installationStore: installationStore(engine),
    installUrlOptions: { scopes: oauth.scopes },
    clientOptions: options,
    logger,
  });
  return {
    installer,
    authorize: (source) => installer.authorize(source as InstallationQuery<boolean>),
    async forSend(tenant, team) {
      const docs = engine.store.tenant(tenant).docs<InstallationDoc>('slack', 'installations');
      const own = team ? await docs.get(team) : null;
      if (own) return own.installation.bot?.token ?? null;
      // An org-wide (Enterprise Grid) install answers for every workspace of its organisation; another workspace's token would not.
      const all = await docs.find({}, { limit: 100 });
      const d = team ? all.find((x) => x.installation.isEnterpriseInstall) : all[0];
      return d?.installation.bot?.token ?? null;
    },
  };
}
