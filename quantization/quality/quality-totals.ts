import type { QualityPosition, QualityReport } from '../../profiler/api';
import { percentile } from '../../common/statistics';
import type { RowComparison } from './logit-compare';

/**
 * Running sums of the row comparisons and continuation matches, so the logits of one sequence can be
 * dropped before the next is run: only one KL value per (sequence, position) is kept, for the p99.
 */
export class QualityTotals {
  private readonly klSamples: number[] = [];
  private readonly klSumByPosition: number[];
  private readonly matchesByPosition: number[];
  private readonly absSumByPosition: number[];
  private readonly rowsByPosition: number[];
  private klMax = 0;
  private maxAbsLogitError = 0;
  private continuations = 0;
  private identicalContinuations = 0;
  private identicalPrefixSum = 0;

  constructor(
    positions: number,
    private readonly vocabSize: number,
  ) {
    this.klSumByPosition = new Array<number>(positions).fill(0);
    this.matchesByPosition = new Array<number>(positions).fill(0);
    this.absSumByPosition = new Array<number>(positions).fill(0);
    this.rowsByPosition = new Array<number>(positions).fill(0);
  }

  addRow(position: number, row: RowComparison): void {
    this.klSamples.push(row.klNats);
    this.klSumByPosition[position]! += row.klNats;
    this.matchesByPosition[position]! += row.top1Match ? 1 : 0;
    this.absSumByPosition[position]! += row.sumAbsLogitError;
    this.rowsByPosition[position]! += 1;
    this.klMax = Math.max(this.klMax, row.klNats);
    this.maxAbsLogitError = Math.max(this.maxAbsLogitError, row.maxAbsLogitError);
  }

  /** `identicalPrefix` tokens matched out of `tokens` */
  addContinuation(identicalPrefix: number, tokens: number): void {
    this.continuations += 1;
    this.identicalContinuations += identicalPrefix === tokens ? 1 : 0;
    this.identicalPrefixSum += identicalPrefix;
  }

  perPosition(): QualityPosition[] {
    return this.rowsByPosition.map((rows, position) => ({
      position,
      klMean: this.klSumByPosition[position]! / rows,
      top1Agreement: this.matchesByPosition[position]! / rows,
      meanAbsLogitError: this.absSumByPosition[position]! / (rows * this.vocabSize),
    }));
  }

  overall(): QualityReport['overall'] {
    const rows = this.klSamples.length;
    const sum = (values: readonly number[]): number => values.reduce((total, value) => total + value, 0);
    return {
      klMean: sum(this.klSamples) / rows,
      klP99: percentile(this.klSamples, 99),
      klMax: this.klMax,
      top1Agreement: sum(this.matchesByPosition) / rows,
      maxAbsLogitError: this.maxAbsLogitError,
      meanAbsLogitError: sum(this.absSumByPosition) / (rows * this.vocabSize),
      identicalContinuations: this.identicalContinuations / this.continuations,
      meanIdenticalPrefix: this.identicalPrefixSum / this.continuations,
    };
  }
}
