// GLSL ES 3.00 for the viewer. The stored values live in a one-channel texture; windowing (DICOM VOI
// LINEAR / LINEAR_EXACT / SIGMOID), inversion, pan and zoom are uniforms, so dragging the window or
// the image only re-runs this shader: no pixel ever goes back through JavaScript.
// Keep the VOI formulas identical to ../windowing.ts.

export const VERTEX_SHADER = `#version 300 es
// One triangle covering the viewport; the scissor limits it to the pane.
const vec2 P[3] = vec2[3](vec2(-1.0, -1.0), vec2(3.0, -1.0), vec2(-1.0, 3.0));
void main() { gl_Position = vec4(P[gl_VertexID], 0.0, 1.0); }
`;

export interface ShaderVariant {
  /** 'usampler2D' for R16UI textures, 'sampler2D' for R32F. */
  sampler: 'usampler2D' | 'sampler2D';
  /** 0 LINEAR, 1 LINEAR_EXACT, 2 SIGMOID */
  voi: 0 | 1 | 2;
  /** Bilinear (magnified) or nearest (minified). */
  smooth: boolean;
}

/**
 * One program per variant, chosen on the CPU: no uniform branches in the shader, which a software
 * rasteriser (SwiftShader) may otherwise run both sides of for every pixel.
 */
export function fragmentShader(v: ShaderVariant): string {
  const voi =
    v.voi === 2
      ? 'y = 1.0 / (1.0 + exp(-4.0 * (v - u_wc) / u_ww));'
      : v.voi === 1
        ? 'y = clamp((v - u_wc) / u_ww + 0.5, 0.0, 1.0);'
        : 'y = clamp((v - (u_wc - 0.5)) / max(u_ww - 1.0, 1e-6) + 0.5, 0.0, 1.0);';
  const sample = v.smooth
    ? `vec2 q = img - 0.5;
  vec2 fl = floor(q);
  vec2 f = q - fl;
  ivec2 i0 = ivec2(fl);
  float a = valueAt(i0);
  float b = valueAt(i0 + ivec2(1, 0));
  float c = valueAt(i0 + ivec2(0, 1));
  float d = valueAt(i0 + ivec2(1, 1));
  float v = mix(mix(a, b, f.x), mix(c, d, f.x), f.y);`
    : 'float v = valueAt(ivec2(img));';
  return `#version 300 es
precision highp float;
precision highp int;
precision highp ${v.sampler};
uniform ${v.sampler} u_tex;
uniform ivec2 u_texSize;
uniform float u_canvasHeight;
uniform vec2 u_paneOrigin;   // device px, top-left origin
uniform vec2 u_paneSize;
uniform vec2 u_center;       // image point at the pane centre
uniform float u_zoom;        // device px per image px
uniform float u_slope;
uniform float u_intercept;
uniform float u_wc;
uniform float u_ww;
uniform float u_invert;      // 0 or 1
out vec4 outColor;

float valueAt(ivec2 p) {
  p = clamp(p, ivec2(0), u_texSize - 1);
  return float(texelFetch(u_tex, p, 0).r) * u_slope + u_intercept;
}

void main() {
  vec2 frag = vec2(gl_FragCoord.x, u_canvasHeight - gl_FragCoord.y);
  vec2 img = u_center + (frag - u_paneOrigin - 0.5 * u_paneSize) / u_zoom;
  vec2 size = vec2(u_texSize);
  if (img.x < 0.0 || img.y < 0.0 || img.x >= size.x || img.y >= size.y) {
    outColor = vec4(0.0, 0.0, 0.0, 1.0);
    return;
  }
  ${sample}
  float y;
  ${voi}
  y = mix(y, 1.0 - y, u_invert);
  outColor = vec4(y, y, y, 1.0);
}
`;
}
