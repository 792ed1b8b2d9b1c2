import { LAUNCH_ROLES, PURPOSES, type LaunchRole, type Purpose } from '../../../shared/api';
import { abilityLines, environmentAbilities } from '../../../shared/environment-abilities';
import { type CommandImpl, EXIT_OK, str, UsageError } from '../command';
import { cliServices } from '../services';

export const keysKid: CommandImpl = {
  options: {},
  async run({ positionals }, io) {
    if (positionals.length !== 1) throw new UsageError('keys kid takes exactly one PEM file');
    io.stdout((await cliServices({}, io)).direct.kidOf(positionals[0]!) + '\n');
    return EXIT_OK;
  },
};

export const keysList: CommandImpl = {
  options: { json: { type: 'boolean' } },
  async run({ values }, io) {
    const services = await cliServices({}, io);
    const keys = await services.keys.list();
    if (values.json) {
      io.stdout(JSON.stringify(keys.map(({ publicPem: _pem, ...k }) => k)) + '\n');
    } else {
      // What the environment can do with this ring, as the Keys screen says it; '#' lines are not keys.
      const env = (await services.app.info()).activeEnvironment;
      io.stdout(`# ${env.name}  ${env.runnerUrl}\n`);
      for (const line of abilityLines(environmentAbilities(keys))) io.stdout(`# ${line}\n`);
      for (const k of keys) {
        const roles = k.usedFor?.length ? `  [${k.usedFor.join(', ')}]` : '';
        io.stdout(`${k.kid}  ${k.purpose.padEnd(18)} ${k.type.padEnd(7)} ${k.use.padEnd(10)} ${String(k.bits).padEnd(4)}  ${k.source}${roles}\n`);
      }
    }
    return EXIT_OK;
  },
};

export const keysImport: CommandImpl = {
  options: { purpose: { type: 'string' }, 'runner-checkout': { type: 'string' } },
  async run({ values, positionals }, io) {
    const services = await cliServices({}, io);
    const checkout = str(values, 'runner-checkout');
    const purpose = str(values, 'purpose');
    if (purpose && !PURPOSES.includes(purpose as Purpose)) throw new UsageError(`--purpose must be one of ${PURPOSES.join(', ')}`);
    if (!checkout && positionals.length === 0) throw new UsageError('give at least one file or folder, or --runner-checkout <dir>');
    const report = checkout
      ? await services.keys.importRunnerCheckout(checkout)
      : await services.direct.importPaths(positionals, { purpose: purpose as Purpose | undefined });
    for (const k of report.added) io.stdout(`added     ${k.kid}  ${k.purpose} ${k.type} ${k.use}  ${k.source}\n`);
    for (const kid of report.upgraded) io.stdout(`upgraded  ${kid}  (private half added)\n`);
    for (const kid of report.unchanged) io.stdout(`unchanged ${kid}\n`);
    for (const s of report.skipped) io.stderr(`skipped   ${s.name}: ${s.reason}\n`);
    return EXIT_OK;
  },
};

export const keysRole: CommandImpl = {
  options: {},
  async run({ positionals }, io) {
    const [role, kid] = positionals;
    if (positionals.length !== 2 || !LAUNCH_ROLES.includes(role as LaunchRole)) throw new UsageError(`give a role (${LAUNCH_ROLES.join(' or ')}) and a kid`);
    const keys = await (await cliServices({}, io)).keys.assignRole(role as LaunchRole, kid!);
    for (const r of LAUNCH_ROLES) io.stdout(`${r.padEnd(17)} ${keys.find((k) => k.usedFor?.includes(r))?.kid ?? '(none)'}\n`);
    return EXIT_OK;
  },
};
