// Where a map opens and where it names the archipelagos live in src/domain: the board's PDF names them too.
export * from '../../../../src/domain/map-geometry.ts';
