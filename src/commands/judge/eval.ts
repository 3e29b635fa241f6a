import { Flags } from '@oclif/core'
import { BaseCommand } from '../../cli/base-command.js'
import { startProgress } from '../../cli/spinner.js'
import { runJudgeEval } from '../../scoring/pair-eval.js'
import { formatJudgeEval } from '../../report/judge-eval-view.js'

export default class JudgeEval extends BaseCommand<typeof JudgeEval> {
  static override summary = 'Measure the embedder + judge + thresholds on a labelled pairs file.'
  static override description =
    'Reads JSON Lines pairs {"a": "...", "b": "...", "equivalent": true|false} and reports precision (1 - false-hit rate), recall, F1, ' +
    'false-positive rate, ROC-AUC, the confusion matrix and per-pair latency for the configured embedder, judge and thresholds. ' +
    '--sweep prints precision and recall across thresholds and recommends one for --target-precision. ' +
    '--split train|heldout selects one half of the fixed hash split: choose thresholds on train, report heldout.'

  static override examples = [
    '<%= config.bin %> <%= command.id %> --pairs fixtures/pairs/example.jsonl',
    '<%= config.bin %> <%= command.id %> --pairs my-pairs.jsonl --split train --sweep --target-precision 0.99',
    '<%= config.bin %> <%= command.id %> --pairs my-pairs.jsonl --split heldout --tau-sim 0.82 --json',
    '<%= config.bin %> <%= command.id %> --pairs my-pairs.jsonl --judge ollama --judge-model qwen3:0.6b --limit 200',
  ]

  static override flags = {
    pairs: Flags.string({ description: 'JSON Lines file of {"a", "b", "equivalent"} pairs.', required: true }),
    split: Flags.string({ description: 'Which half of the fixed hash split to use.', options: ['train', 'heldout', 'all'], default: 'all' }),
    sweep: Flags.boolean({ description: 'Precision and recall across thresholds, and the threshold that meets --target-precision.' }),
    'target-precision': Flags.string({ description: 'Precision the recommended threshold must reach (0 to 1).', default: '0.99' }),
    'tau-judge': Flags.string({ description: 'Minimum judge score for a hit (a model judge only).' }),
    'judge-model': Flags.string({ description: 'Ollama chat model of the judge (default qwen3:0.6b; env ASTERIA_JUDGE_MODEL).' }),
    limit: Flags.integer({ description: 'Evaluate at most this many pairs (in file order).', min: 1 }),
  }

  async run(): Promise<unknown> {
    const { flags } = this
    const target = Number(flags['target-precision'])
    if (!(target > 0 && target <= 1)) this.fail('BAD_INPUT', `Expected --target-precision to be a number above 0 and at most 1, received "${flags['target-precision']}".`)
    const { config } = this.resolveConfig({
      judgeModel: flags['judge-model'],
      tauJudge: flags['tau-judge'],
    })
    const progress = await startProgress('Evaluating pairs…', this.jsonEnabled())
    const result = await runJudgeEval(config, {
      pairsPath: flags.pairs,
      split: flags.split as 'train' | 'heldout' | 'all',
      sweep: flags.sweep,
      targetPrecision: target,
      limit: flags.limit,
      onPair: (done, total) => {
        if (done % 50 === 0) progress.update(`Evaluating pairs… ${done}/${total}`)
      },
    }).finally(() => progress.stop())
    if (result.notice) this.notice(result.notice)
    this.log(formatJudgeEval(result).join('\n'))
    return result
  }
}
