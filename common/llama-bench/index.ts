/** llama-bench's vocabulary: its records from our trials, its output formats, its files read back. */
export * from './records';
export * from './printers';
export * from './compare';
