/**
 * The environment every trial process starts with, on top of the parent's.
 *
 * UV_THREADPOOL_SIZE=1: node-llama-cpp runs each llama_decode (and each sampling call) on a libuv pool
 * worker. With libuv's default pool of 4, successive calls land on different worker threads; each
 * call's ggml compute is led by whichever worker called it, so llama.cpp's compute threads are
 * re-spread over the cores at every token and spin in ggml's barrier while the leader migrates (the
 * issue's perf profile: over half the time spinning, ~20× the CPU migrations). With one worker every
 * decode is led by the same thread, as in llama-bench (measured here on MobileLLM-R1-140M Q4_0, 2
 * threads: decode 8 tok/s with the default pool vs 213 with one worker, same minute; README "A second
 * runtime: llama.cpp").
 * onnxruntime-node's run() executes on the calling (main) thread and never touches the pool, so
 * onnxruntime trials are unaffected. Libuv reads the variable when the pool first starts, so it must
 * be in the process's environment from its start, not set by the trial code.
 */
export const TRIAL_PROCESS_ENV: Readonly<Record<string, string>> = { UV_THREADPOOL_SIZE: '1' };
