import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { providerInstanceSchema } from '../../src/config/sections/providers.js';
import { cli } from '../../src/providers/cli/index.js';
import { AnthropicTransport } from '../../src/providers/anthropic/anthropic-provider.js';
import { GeminiTransport } from '../../src/providers/gemini/gemini-provider.js';
import { LlmProvider } from '../../src/providers/llm/llm-provider.js';
import { OllamaTransport } from '../../src/providers/ollama/ollama-provider.js';
import { OpenAiTransport } from '../../src/providers/openai/openai-provider.js';
import { MlProvider } from '../../src/providers/ml/ml-provider.js';
import { RulesProvider } from '../../src/providers/rules/rules-provider.js';
import { smallModel } from '../fakes/ml-model.js';
import { startFakeAnthropic } from '../fakes/anthropic-server.js';
import { startFakeGemini } from '../fakes/gemini-server.js';
import type { FakeLlmServer } from '../fakes/llm-server.js';
import { startFakeOllama } from '../fakes/ollama-server.js';
import { startFakeOpenAi } from '../fakes/openai-server.js';
import { providerContract, serverFaults, type ProviderFault, type ProviderHarness } from './provider.contract.js';

const TIMEOUT_MS = 1500;
const withServer = async (start: () => Promise<FakeLlmServer>, build: (url: string) => LlmProvider, secrets: string[] = []): Promise<ProviderHarness> => {
  const server = await start();
  return { provider: build(server.url), server, fault: serverFaults(server), expected: { action: 'BUY', confidence: 72 }, secrets, close: () => server.close() };
};

providerContract('rules', async () => ({ provider: new RulesProvider('rules'), close: async () => undefined }));

// A small forest trained on the bundled sample before the fake context's decision time.
let mlModel: Promise<{ path: string }> | null = null;
providerContract('ml (small forest on the bundled sample)', async () => ({ provider: new MlProvider('ml', (await (mlModel ??= smallModel())).path), close: async () => undefined }));

// Ollama takes no key: everything but the secrets check.
providerContract(
  'ollama (loopback /api/chat fake)',
  () =>
    withServer(
      () => startFakeOllama(),
      (url) => new LlmProvider('llama', new OllamaTransport({ model: 'fake-model', baseUrl: url }), TIMEOUT_MS),
    ),
  { faults: true },
);

const OPENAI_KEY = 'sk-contract-0123456789abcdef';
providerContract(
  'openai (loopback /v1/chat/completions fake)',
  () =>
    withServer(
      () => startFakeOpenAi(),
      (url) => new LlmProvider('gpt', new OpenAiTransport({ model: 'fake-model', baseUrl: `${url}/v1`, apiKey: OPENAI_KEY }), TIMEOUT_MS),
      [OPENAI_KEY],
    ),
  { faults: true, keyed: true },
);

const ANTHROPIC_KEY = 'sk-ant-contract-0123456789abcdef';
providerContract(
  'anthropic (loopback /v1/messages fake)',
  () =>
    withServer(
      () => startFakeAnthropic(),
      (url) => new LlmProvider('claude', new AnthropicTransport({ model: 'fake-model', baseUrl: `${url}/v1`, apiKey: ANTHROPIC_KEY }), TIMEOUT_MS),
      [ANTHROPIC_KEY],
    ),
  { faults: true, keyed: true },
);

const GEMINI_KEY = 'AIzaContract0123456789abcdefghij';
providerContract(
  'gemini (loopback /v1beta/models/{model}:generateContent fake)',
  () =>
    withServer(
      () => startFakeGemini(),
      (url) => new LlmProvider('gem', new GeminiTransport({ model: 'fake-model', baseUrl: `${url}/v1beta`, apiKey: GEMINI_KEY }), TIMEOUT_MS),
      [GEMINI_KEY],
    ),
  { faults: true, keyed: true },
);

// The coding-assistant CLI provider (kind cli, preset codex: `codex exec --skip-git-repo-check -`, prompt on
// stdin), built from a config entry as the program builds it, running a fake assistant that
// prints what the real one does in non-interactive mode.
const FAKE_ASSISTANT = resolve(import.meta.dirname, '../fakes/cli/contract-assistant.mjs');
providerContract(
  'cli (codex preset, fake assistant executable)',
  async () => {
    const control = join(mkdtempSync(join(tmpdir(), 'ffe-cli-contract-')), 'control.json');
    const setFault = (fault: ProviderFault | null) => writeFileSync(control, JSON.stringify({ fault }));
    setFault(null);
    const entry = providerInstanceSchema.parse({ kind: 'cli', preset: 'codex', command: FAKE_ASSISTANT, args: [`--control=${control}`], timeout_ms: TIMEOUT_MS });
    return { provider: cli.create('codex', entry as Parameters<typeof cli.create>[1]), fault: setFault, expected: { action: 'BUY', confidence: 72 }, close: async () => undefined };
  },
  { faults: true },
);
