// The repair benchmark.
//
//   node bench/repair/run.ts --corpus <dir>|examples [--engine templates|llm] [--only <id part>]
//                            [--concurrency N] [--max-candidates N] [--json <file>] [--write docs/benchmarks.md]
//                            [--docker-exec]   (docker sandbox: one `docker exec` per command, no runner)
//
// `--corpus examples` converts examples/ (convert-examples.ts) into .tracefix/bench/examples first.
//
// Runs the pipeline over every bug of a corpus (README.md beside this file) and prints totals
// and a per-bug table: reproduced, plausible (visible tests pass), correct (ground truth passes),
// patch size, time. Commands run as host processes: fine for HumanEvalFix's pure single-function
// programs; a corpus of real services belongs in the sandbox (the repair core will do that).
import { writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../../src/config.ts';
import { benchSandboxes } from './bench-sandbox.ts';
import { convertExamples } from './convert-examples.ts';
import { coreTemplatePipeline } from './core-pipeline.ts';
import { loadCorpus } from './corpus.ts';
import { DEFAULT_PIPELINE_OPTIONS, templatePipeline, type RepairPipeline } from './direct-pipeline.ts';
import { runBenchmark, type BugReport } from './harness.ts';
import { llmPipeline } from './llm-pipeline.ts';
import { markdown, writeRepairSection } from './report.ts';
import { describeTimings, heaviestCommands } from './timing.ts';

/**
 * The LLM engine runs only with a configured endpoint and a working sandbox (the model's code is
 * never run on the host); without either, the report says it was not measured and why.
 */
export async function pipelineFor(engine: string): Promise<{ pipeline?: RepairPipeline; note?: string }> {
  if (engine === 'templates') return { pipeline: templatePipeline() };
  if (engine === 'llm') {
    const config = loadConfig();
    if (!config.llm) return { note: 'LLM engine not measured: no OpenAI-compatible endpoint is configured (OPENAI_BASE_URL, TRACEFIX_MODEL)' };
    const sandboxes = await benchSandboxes(config);
    if ('unavailable' in sandboxes) return { note: `LLM engine not measured: no sandbox to run it in (${sandboxes.unavailable})` };
    const { llm } = config;
    return {
      pipeline: llmPipeline(llm, sandboxes.create),
      note:
        `LLM engine: model ${llm.model}; each bug in a ${sandboxes.driver} sandbox through the repair core (the visible failing test as the reproduction, ` +
        `baseline, localization, validation), graded there too. Budget per bug: ${llm.attempts} attempts of ${llm.maxTurns} turns, ` +
        `${llm.maxTokens.toLocaleString('en-US')} tokens, $${llm.maxCostUsd}, ${Math.round(llm.timeoutMs / 60_000)} min`,
    };
  }
  throw new Error(`unknown engine ${engine} (templates or llm)`);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      corpus: { type: 'string' },
      engine: { type: 'string', default: 'templates' },
      only: { type: 'string' },
      concurrency: { type: 'string', default: String(Math.max(1, Math.min(4, os.availableParallelism()))) },
      'max-candidates': { type: 'string', default: String(DEFAULT_PIPELINE_OPTIONS.maxCandidates) },
      json: { type: 'string' },
      write: { type: 'string' },
      'docker-exec': { type: 'boolean', default: false },
    },
  });
  if (!values.corpus) {
    console.error('usage: node bench/repair/run.ts --corpus <dir>|examples [--engine templates|llm]');
    process.exit(2);
  }
  let corpus = path.resolve(values.corpus);
  if (values.corpus === 'examples') {
    corpus = path.resolve('.tracefix/bench/examples');
    await convertExamples(path.resolve(import.meta.dirname, '../../examples'), corpus);
  }
  let bugs = await loadCorpus(corpus);
  if (values.only) bugs = bugs.filter((b) => b.meta.id.includes(values.only!));
  let { pipeline, note } = await pipelineFor(values.engine);
  let coreDriver: string | undefined;
  if (pipeline && values.engine === 'templates' && bugs.some((b) => b.incident.kind === 'bundle')) {
    // Bundle incidents (examples/) run through the repair core in a real sandbox.
    const config = loadConfig();
    const sandboxes = await benchSandboxes(config, values['docker-exec'] ? { runner: false } : {});
    if ('unavailable' in sandboxes) {
      pipeline = undefined;
      note = `Repair core not measured: no sandbox to run it in (${sandboxes.unavailable})`;
    } else {
      const direct = pipeline;
      const core = coreTemplatePipeline(sandboxes.create, config);
      coreDriver = sandboxes.driver;
      pipeline = (bug, dir) => (bug.incident.kind === 'bundle' ? core(bug, dir) : direct(bug, dir));
    }
  }
  const sectionKey = `repair-${path.basename(corpus).toLowerCase().replace(/[^a-z0-9]+/g, '-')}-${values.engine}`;
  const header = { corpus: `${path.basename(corpus)} (${bugs.length} bugs)`, engine: values.engine };
  if (!pipeline) {
    const section = `## Repair: ${values.engine} engine on ${header.corpus}\n\n${note}.\n`;
    process.stdout.write(section);
    if (values.write) writeRepairSection(values.write, section, sectionKey);
    return;
  }
  if (values['max-candidates'] !== String(DEFAULT_PIPELINE_OPTIONS.maxCandidates)) {
    Object.assign(header, { engine: `${values.engine} (max ${values['max-candidates']} candidates)` });
  }
  const chosen =
    values.engine !== 'templates' || values['max-candidates'] === String(DEFAULT_PIPELINE_OPTIONS.maxCandidates)
      ? pipeline
      : templatePipeline({ ...DEFAULT_PIPELINE_OPTIONS, maxCandidates: Number(values['max-candidates']) });
  const started = performance.now();
  const reports: BugReport[] = await runBenchmark(bugs, {
    pipeline: chosen,
    concurrency: Number(values.concurrency),
    onBug: (r) =>
      console.error(
        `${r.id}: ${r.reproduced ? 'reproduced' : 'not reproduced'}, ${r.plausible ? 'plausible' : 'not plausible'}, ${r.correct ? 'correct' : 'not correct'}` +
          `${r.template ? ` (${r.template}: ${r.description})` : r.reason ? ` (${r.reason})` : ''} ${r.candidates.tried}/${r.candidates.generated} in ${(r.timeMs / 1000).toFixed(1)} s` +
          `${r.timings ? ` (${describeTimings(r.timings)}; heaviest: ${heaviestCommands(r.timings.execs)})` : ''}`,
      ),
  });
  const wall = ((performance.now() - started) / 1000).toFixed(0);
  const hostNote =
    values.corpus === 'examples'
      ? `Production incidents of examples/ as bundles (Sentry event + OTLP trace and logs, assembled by the real assembler), each through the repair core as \`tracefix repair\` runs it, ` +
        `in the ${coreDriver ?? 'configured'} sandbox${coreDriver === 'docker' ? (values['docker-exec'] ? ' (one `docker exec` per command)' : ' (commands through its runner, one attach per sandbox)') : ''}: a synthesized reproduction through the signature and flake gates, suite baseline, localization, the template engine, ` +
        `validation (suite, paths, size, suppression, sensitivity, the intent gate and the behaviour preservation gate) and selection by agreement with the contract; the hidden regression test graded in the same sandbox. ` +
        `Concurrency ${values.concurrency}; wall time ${wall} s on ${os.availableParallelism()} CPUs.`
      : `Host execution (no sandbox): acceptable for these single-function programs, which only compute. ` +
        `Localization: the failing test's frames in the buggy file, else every line of the buggy function at equal score. ` +
        `Concurrency ${values.concurrency}; wall time ${wall} s on ${os.availableParallelism()} CPUs. ` +
        `Published pass@1 is OctoCoder's on all 164 HumanEvalFix problems; this corpus is the 41-problem subset, so the comparison is indicative.`;
  const engineNote = values.engine === 'llm' && note ? `${note}. Concurrency ${values.concurrency}; wall time ${wall} s on ${os.availableParallelism()} CPUs.` : undefined;
  const section = markdown(reports, { ...header, note: engineNote ?? hostNote, published: values.corpus !== 'examples' });
  process.stdout.write(section);
  if (values.json) await writeFile(values.json, JSON.stringify(reports, null, 2) + '\n');
  if (values.write) writeRepairSection(values.write, section, sectionKey);
}

if (import.meta.main) await main();
