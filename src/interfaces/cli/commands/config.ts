import type { Command } from 'commander';
import { configApi, globals, print, printJson } from '../run.js';

export function registerConfig(program: Command): void {
  const config = program.command('config').description('show, validate and document the configuration');

  config
    .command('show')
    .description('print the effective configuration (secrets redacted) and where it came from')
    .option('--json', 'print as JSON')
    .action(async (opts: { json?: boolean }, cmd: Command) => {
      const { config: red, sources, origins } = (await configApi()).show(globals(cmd).config);
      if (opts.json) return printJson({ config: red, sources, origins });
      const yaml = await import('yaml');
      // The CLI bundle hands a dynamically imported CommonJS package (yaml's Node build) over as its
      // default export only; the tsc output gets the named exports too.
      const { stringify } = typeof yaml.stringify === 'function' ? yaml : (yaml as unknown as { default: typeof yaml }).default;
      print(`# sources (lowest precedence first): ${sources.join(', ')}\n${stringify(red)}`);
    });

  config
    .command('validate')
    .description('check config files and environment; lists every problem (exit 2 when invalid)')
    .option('--json', 'print as JSON')
    .action(async (opts: { json?: boolean }, cmd: Command) => {
      const { sources } = (await configApi()).validate(globals(cmd).config);
      if (opts.json) printJson({ valid: true, sources });
      else print(`configuration is valid (sources: ${sources.join(', ')})`);
    });

  config
    .command('docs')
    .description('every key with its type, default, environment variable and meaning')
    .option('--json', 'print as JSON')
    .option('--yaml', 'print an annotated YAML file of every key at its default (config/config.example.yaml)')
    .option('--markdown', 'print the configuration reference in Markdown (docs/configuration.md)')
    .action(async (opts: { json?: boolean; yaml?: boolean; markdown?: boolean }) => {
      const api = await configApi();
      if (opts.yaml) return print(api.exampleYaml().trimEnd());
      if (opts.markdown) return print(api.referenceMarkdown().trimEnd());
      const leaves = api.docs();
      if (opts.json) return printJson(leaves);
      print(leaves.map((l) => `${l.key} (${l.type}; default ${JSON.stringify(l.default)}; env ${l.env})${l.secret ? ' [secret]' : ''}\n    ${l.description}`).join('\n'));
    });
}
