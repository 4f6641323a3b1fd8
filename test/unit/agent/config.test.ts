// The LLM section of the config: absent without a model, every variable checked, the key never
// shown in an error and redacted from logs.
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { describe, it } from 'node:test';
import { loadConfig } from '../../../src/config.ts';
import { ConfigError } from '../../../src/errors.ts';
import { createLogger } from '../../../src/telemetry.ts';

const KEY = 'sk-proj-Vb3nM7qX1zL9pK4tR8wY2hJ6';

function problem(env: Record<string, string>): string {
  try {
    loadConfig(env);
  } catch (error) {
    assert.ok(error instanceof ConfigError);
    return error.message;
  }
  assert.fail('expected a ConfigError');
}

describe('config.llm', () => {
  it('is undefined when no model is configured (a key alone does not enable it)', () => {
    assert.equal(loadConfig({}).llm, undefined);
    assert.equal(loadConfig({ OPENAI_API_KEY: KEY }).llm, undefined);
  });

  it('has the documented defaults', () => {
    const llm = loadConfig({ OPENAI_BASE_URL: 'http://127.0.0.1:11434/v1/', TRACEFIX_MODEL: 'qwen2.5-coder' }).llm;
    assert.deepEqual(llm, {
      baseUrl: 'http://127.0.0.1:11434/v1',
      apiKey: undefined,
      model: 'qwen2.5-coder',
      temperature: 0.2,
      maxTurns: 30,
      maxTokens: 400_000,
      maxCostUsd: 2,
      timeoutMs: 900_000,
      attempts: 2,
      stuckTurns: 8,
      maxOutputTokens: 4096,
      prices: {},
      stream: true,
      outputParam: 'max_completion_tokens',
      toolOutputChars: 12_000,
    });
  });

  it("uses OpenAI's endpoint when only a key is given", () => {
    assert.equal(loadConfig({ OPENAI_API_KEY: KEY, TRACEFIX_MODEL: 'gpt-4o-mini' }).llm?.baseUrl, 'https://api.openai.com/v1');
  });

  it('reads every variable', () => {
    const llm = loadConfig({
      OPENAI_BASE_URL: 'https://llm.internal/v1',
      OPENAI_API_KEY: KEY,
      TRACEFIX_MODEL: 'm',
      TRACEFIX_LLM_TEMPERATURE: '0',
      TRACEFIX_LLM_MAX_TURNS: '12',
      TRACEFIX_LLM_MAX_TOKENS: '50000',
      TRACEFIX_LLM_MAX_COST_USD: '0.25',
      TRACEFIX_LLM_TIMEOUT_MS: '60000',
      TRACEFIX_LLM_ATTEMPTS: '3',
      TRACEFIX_LLM_STUCK_TURNS: '5',
      TRACEFIX_LLM_MAX_OUTPUT_TOKENS: '1024',
      TRACEFIX_LLM_PRICES: '{"m":{"inputPerMTok":0.5,"outputPerMTok":1.5}}',
      TRACEFIX_LLM_STREAM: 'off',
      TRACEFIX_LLM_OUTPUT_PARAM: 'max_tokens',
      TRACEFIX_LLM_TOOL_OUTPUT_CHARS: '5000',
    }).llm;
    assert.deepEqual(
      { ...llm },
      {
        baseUrl: 'https://llm.internal/v1', apiKey: KEY, model: 'm', temperature: 0, maxTurns: 12, maxTokens: 50_000, maxCostUsd: 0.25,
        timeoutMs: 60_000, attempts: 3, stuckTurns: 5, maxOutputTokens: 1024, prices: { m: { inputPerMTok: 0.5, outputPerMTok: 1.5 } },
        stream: false, outputParam: 'max_tokens', toolOutputChars: 5000,
      },
    );
  });

  it('stops on a half configuration, naming the missing variable', () => {
    assert.match(problem({ OPENAI_BASE_URL: 'http://127.0.0.1:1/v1' }), /TRACEFIX_MODEL: required when OPENAI_BASE_URL is set/);
    assert.match(problem({ TRACEFIX_MODEL: 'm' }), /OPENAI_BASE_URL: required when TRACEFIX_MODEL is set \(or OPENAI_API_KEY, for api\.openai\.com\)/);
  });

  it('stops on bad values, naming each variable and never echoing the key', () => {
    const message = problem({
      OPENAI_BASE_URL: 'ftp://x',
      OPENAI_API_KEY: KEY,
      TRACEFIX_MODEL: 'm',
      TRACEFIX_LLM_TEMPERATURE: '3',
      TRACEFIX_LLM_MAX_COST_USD: '-1',
      TRACEFIX_LLM_ATTEMPTS: '0',
      TRACEFIX_LLM_PRICES: `{"m":{"inputPerMTok":"${KEY}"}}`,
      TRACEFIX_LLM_STREAM: 'yes',
    });
    for (const name of ['OPENAI_BASE_URL', 'TRACEFIX_LLM_TEMPERATURE', 'TRACEFIX_LLM_MAX_COST_USD', 'TRACEFIX_LLM_ATTEMPTS', 'TRACEFIX_LLM_PRICES', 'TRACEFIX_LLM_STREAM']) {
      assert.match(message, new RegExp(`${name}: `), name);
    }
    assert.ok(!message.includes(KEY));
  });

  it('is redacted when a config or its llm section is logged', () => {
    const config = loadConfig({ OPENAI_BASE_URL: 'http://127.0.0.1:1/v1', OPENAI_API_KEY: KEY, TRACEFIX_MODEL: 'm', LOG_LEVEL: 'info' });
    let out = '';
    const sink = new Writable({ write: (chunk, _enc, done) => { out += String(chunk); done(); } });
    const log = createLogger(config, sink);
    log.info({ config }, 'Config');
    log.info({ llm: config.llm }, 'LLM');
    log.info({ run: { config } }, 'Nested');
    assert.ok(out.includes('[redacted]'));
    assert.ok(!out.includes(KEY), out);
  });
});
