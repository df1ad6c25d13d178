#version 300 es
// The glyph atlas is a one-channel (R8) texture: coverage. Coloured textures (photos, later) set u_alpha_only = 0.
precision mediump float;
uniform sampler2D u_texture;
uniform bool u_alpha_only;
in vec2 v_uv;
in vec4 v_color;
out vec4 out_color;
void main() {
  vec4 texel = texture(u_texture, v_uv);
  out_color = u_alpha_only ? vec4(v_color.rgb, v_color.a * texel.r) : v_color * texel;
}
