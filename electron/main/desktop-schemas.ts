import { z } from 'zod';
import { workbenchMethods } from '../../profiler/api';
import { menuCommands, type DesktopMethodName } from '../../common/desktop-channels';

/**
 * The desktop-only channels' arguments, as zod tuples like the WorkbenchApi's own: where a channel
 * takes what an API method takes (a run id, an export format), it reuses that method's schema.
 */
export const desktopMethodArgs = {
  openModelFolder: z.tuple([]),
  openModelFile: z.tuple([]),
  importRunFile: z.tuple([]),
  /** [run id, format]: as exportRun */
  exportRun: workbenchMethods.exportRun.args,
  /** [run id]: as loadRun */
  saveReportPdf: workbenchMethods.loadRun.args,
} satisfies Record<DesktopMethodName, z.ZodTuple>;

export type DesktopMethodArgs<M extends DesktopMethodName> = z.infer<(typeof desktopMethodArgs)[M]>;

export const MenuCommandSchema = z.enum(menuCommands);

/** What importRunFile answers: the run's id in this workbench, and the id it had in the file. */
export type ImportedRunFile = z.infer<typeof workbenchMethods.importRun.result>;
