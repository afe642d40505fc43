import cliProgress from 'cli-progress';
import type { Progress } from '../services/bootstrap.ts';

/** A progress bar per step on a terminal; plain lines when the output is a file or a pipe. */
export function progressReporter(
  stream: NodeJS.WriteStream = process.stderr,
): Progress & { stop(): void } {
  let bar: cliProgress.SingleBar | undefined;
  let current = '';
  const stop = () => {
    bar?.stop();
    bar = undefined;
  };
  const report = (step: string, done?: number, total?: number) => {
    if (step !== current) {
      stop();
      current = step;
      if (!stream.isTTY || total === undefined) stream.write(`… ${step}\n`);
    }
    if (stream.isTTY && total !== undefined && done !== undefined) {
      if (!bar) {
        bar = new cliProgress.SingleBar(
          {
            format: `${step.padEnd(28)} [{bar}] {percentage}% {value}/{total}`,
            stream,
            hideCursor: true,
          },
          cliProgress.Presets.shades_classic,
        );
        bar.start(total, done);
      } else bar.update(done);
    }
  };
  return Object.assign(report, { stop });
}
