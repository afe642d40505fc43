// The map's colour classes and palettes live in src/domain so the board's PDF colours as the screen.
export * from '../../../../src/domain/map-scale.ts';
