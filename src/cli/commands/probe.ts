import type { Command } from 'commander';

/**
 * `edgetrack probe <input>`: prints the metadata of a video file, image folder or live spec as JSON
 * (kind, fps, width, height, frameCount, …). Exit code 1 with a message naming the input when it is
 * missing or unreadable.
 */
export function install(program: Command): void {
  program
    .command('probe')
    .description('print the metadata of a video file, image-sequence folder or live source (lavfi:…, /dev/videoN, rtsp://…) as JSON')
    .argument('<input>', 'video file, folder of numbered images, or live spec')
    .action(async (input: string) => {
      const { probeSource } = await import('../../video/probe-source.js');
      const report = await probeSource(input);
      process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    });
}
