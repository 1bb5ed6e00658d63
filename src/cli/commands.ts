// The subcommands: name, the usage lines of the help text, and the file that runs it (loaded
// only when asked for). A new subcommand is its own file and a row here (and its flags in args.ts).
import type { CliArgs } from './args.js';

export interface Command {
  usage: string[];
  load(): Promise<{ default: (args: CliArgs, cwd: string) => Promise<number> }>;
}

export const COMMANDS: Record<string, Command> = {
  init: {
    usage: ['init                     scaffold a working example (no API key needed)'],
    load: () => import('./init.js'),
  },
  agreement: {
    usage: ['agreement [filters...] [--resolve]   how well the annotators agree; --resolve records consensus labels'],
    load: () => import('./agreement.js'),
  },
  annotate: {
    usage: ['annotate <suite> --annotator <name>   label items in the terminal (blind; saved at once)'],
    load: () => import('./annotate.js'),
  },
  import: {
    usage: ['import <file.csv|jsonl> --suite <name> [--id col] [--input col] [--output col]', '       [--expected col] [--context col] [--notes col] [--label col | --labels col,col]', 'import --format label-studio <export.json> --suite <name>   merge a Label Studio export into the suite\'s items'],
    load: () => import('./import.js'),
  },
  export: {
    usage: ['export --format label-studio <suite> [--out dir]   its items as Label Studio tasks, with a labeling config for the scale'],
    load: () => import('./export.js'),
  },
  plan: {
    usage: ['plan [filters...] [--width 0.1] [--power 0.8] [--json]   how many labeled items each threshold needs'],
    load: () => import('./plan.js'),
  },
  history: {
    usage: ["history [filters...]            each suite's metrics run by run, with model and rubric changes marked"],
    load: () => import('./history.js'),
  },
  optimize: {
    usage: ['optimize apply <suite> <candidate>   write a candidate from the last --optimize log (e.g. 2.1) into the judge file'],
    load: () => import('./optimize.js'),
  },
  comment: {
    usage: ['comment <summary.md>     in a pull request workflow: one PR comment with the summary, updated in place'],
    load: () => import('./comment.js'),
  },
  cache: {
    usage: ['cache stats | prune | clear [judge-id]'],
    load: () => import('./cache.js'),
  },
};
