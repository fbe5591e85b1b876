(()=>{var N=`
:host { all: initial; }
.widget {
  position: fixed; right: 16px; bottom: 16px; z-index: 2147483000;
  font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1d2330;
}
.launcher, .submit {
  appearance: none; border: 0; border-radius: 999px; padding: 10px 18px; cursor: pointer;
  background: #2f6fed; color: #fff; font: inherit; font-weight: 600;
  box-shadow: 0 4px 14px rgba(0, 0, 0, .18);
}
.submit { border-radius: 8px; width: 100%; margin-top: 12px; box-shadow: none; }
.submit:disabled { opacity: .6; cursor: progress; }
.launcher:focus-visible, .submit:focus-visible, .close:focus-visible, input:focus-visible {
  outline: 3px solid #99b8ff; outline-offset: 2px;
}
.panel {
  position: relative; width: min(320px, calc(100vw - 32px)); box-sizing: border-box;
  background: #fff; border: 1px solid #e3e6eb; border-radius: 12px; padding: 18px 18px 16px;
  box-shadow: 0 10px 30px rgba(0, 0, 0, .18);
}
[hidden] { display: none !important; }
h2 { margin: 0 28px 6px 0; font-size: 17px; line-height: 1.3; }
.description { margin: 0 0 10px; color: #5b6474; font-size: 14px; }
label { display: block; margin: 10px 0 4px; font-weight: 600; font-size: 13px; }
input[type="email"], input[type="text"] {
  box-sizing: border-box; width: 100%; padding: 9px 11px; font: inherit; color: inherit;
  border: 1px solid #c9ced6; border-radius: 8px; background: #fff;
}
input[aria-invalid="true"] { border-color: #b42318; }
.consent { display: flex; gap: 8px; align-items: flex-start; font-weight: 400; }
.close {
  position: absolute; top: 8px; right: 8px; width: 32px; height: 32px; border: 0;
  background: transparent; font-size: 22px; line-height: 1; cursor: pointer; color: #5b6474;
  border-radius: 6px;
}
.hp { position: absolute !important; left: -10000px !important; width: 1px; height: 1px;
  overflow: hidden; }
.message { margin: 10px 0 0; font-size: 14px; min-height: 1px; }
.message:empty { display: none; }
.message.error { color: #b42318; }
.message.success { color: #067647; font-weight: 600; }
`;var O={title:"Get our news",description:"Leave your e-mail and we will tell you about new products and offers.",buttonText:"Get updates",emailLabel:"E-mail address",emailPlaceholder:"you@example.com",nameLabel:"Name",submitText:"Sign up",sendingText:"Sending\u2026",successText:"Thank you! You are on the list.",errorText:"Sorry, that did not work. Please try again later.",invalidEmailText:"Please enter a valid e-mail address.",throttledText:"Too many attempts. Please wait a minute and try again.",notSetUpText:"This site is not set up for signups yet.",consentText:"",closeLabel:"Close"},M=30,E="ss-signup:";function R(){return document.currentScript?document.currentScript:document.querySelector('script[src*="signup.v1"]:not([data-ss-ready])')}function X(t){let i={};for(let o of Object.keys(O))i[o]=t[o]!==void 0?t[o]:O[o];return i}function Y(){try{let t=E+"probe";return window.localStorage.setItem(t,"1"),window.localStorage.removeItem(t),window.localStorage}catch(t){return null}}function U(t,i,o){if(!t)return!1;let s=Number(t.getItem(i)||0);return s>0&&Date.now()-s<o*24*60*60*1e3}function n(t,i,o){let s=document.createElement(t);for(let[l,e]of Object.entries(i||{}))e===!1||e===null||e===void 0||(l==="text"?s.textContent=e:s.setAttribute(l,e===!0?"":String(e)));for(let l of o||[])s.appendChild(l);return s}function F(t,i){return!i||/[?&]key=/.test(t)?t:t+(t.indexOf("?")===-1?"?":"&")+"key="+encodeURIComponent(i)}function K(t){t.setAttribute("data-ss-ready","");let i=t.dataset,o=(i.siteKey||"").trim(),s=(i.previewToken||"").trim(),l=(i.endpoint||"").trim();if(!l){console.warn("Signup widget: data-endpoint is missing.");return}let e=X(i),j=i.askName==="true",q=Number(i.dismissDays||M),p=Y(),L=E+"dismissed:"+(o||l),I=E+"subscribed:"+(o||l),A=n("div",{"data-seller-suite-widget":"signup"}),C=A.attachShadow({mode:"open"});C.appendChild(n("style",{text:N}));let a="ss"+Math.random().toString(36).slice(2,8),u=n("button",{type:"button",class:"launcher","aria-expanded":"false","aria-controls":a+"-panel",text:e.buttonText}),D=n("button",{type:"button",class:"close","aria-label":e.closeLabel,text:"\xD7"}),d=n("input",{id:a+"-email",name:"email",type:"email",autocomplete:"email",required:!0,placeholder:e.emailPlaceholder,maxlength:"254"}),x=j?n("input",{id:a+"-name",name:"name",type:"text",autocomplete:"name",maxlength:"120"}):null,z=n("input",{name:"website",type:"text",tabindex:"-1",autocomplete:"off","aria-hidden":"true",class:"hp"}),b=e.consentText?n("input",{id:a+"-consent",name:"consent",type:"checkbox"}):null,m=n("button",{type:"submit",class:"submit",text:e.submitText}),v=n("p",{class:"message",role:"status","aria-live":"polite"}),h=[n("label",{for:a+"-email",text:e.emailLabel}),d];x&&h.push(n("label",{for:a+"-name",text:e.nameLabel}),x),b&&h.push(n("label",{class:"consent",for:a+"-consent"},[b,n("span",{text:e.consentText})])),h.push(n("div",{class:"hp","aria-hidden":"true"},[z]),m);let T=n("form",{novalidate:!0},h),g=n("div",{id:a+"-panel",class:"panel",role:"dialog","aria-modal":"false","aria-labelledby":a+"-title",hidden:!0},[D,n("h2",{id:a+"-title",text:e.title}),n("p",{class:"description",text:e.description}),T,v]);C.appendChild(n("div",{class:"widget"},[g,u]));function P(r){g.hidden=!1,u.setAttribute("aria-expanded","true"),u.hidden=!0,r&&d.focus()}function _(r){g.hidden=!0,u.hidden=!1,u.setAttribute("aria-expanded","false"),r&&p&&p.setItem(L,String(Date.now())),u.focus()}function c(r,y){v.textContent=r,v.className="message "+y}u.addEventListener("click",()=>P(!0)),D.addEventListener("click",()=>_(!0)),g.addEventListener("keydown",r=>{r.key==="Escape"&&(r.preventDefault(),_(!0))}),T.addEventListener("submit",async r=>{if(r.preventDefault(),m.disabled)return;let y=d.value.trim();if(!y||!d.checkValidity()){c(e.invalidEmailText,"error"),d.setAttribute("aria-invalid","true"),d.focus();return}d.removeAttribute("aria-invalid"),m.disabled=!0,m.textContent=e.sendingText,c("","");let S={email:y,page_url:window.location.href,website:z.value};x&&(S.name=x.value.trim()),b&&(S.consent=b.checked);let k={"Content-Type":"application/json"};o&&(k["X-Site-Key"]=o),s&&(k["X-Widget-Preview"]=s);try{let f=await fetch(F(l,o),{method:"POST",mode:"cors",credentials:"omit",headers:k,body:JSON.stringify(S)});if(f.ok){T.hidden=!0,c(e.successText,"success"),p&&p.setItem(I,String(Date.now()));return}let w={};try{w=await f.json()}catch(W){w={}}f.status===429?c(e.throttledText,"error"):f.status===403&&w.code==="origin_not_allowed"?c(e.notSetUpText,"error"):f.status===400&&w.code==="invalid_email"?(c(e.invalidEmailText,"error"),d.setAttribute("aria-invalid","true")):c(e.errorText,"error")}catch(f){c(e.errorText,"error")}finally{m.disabled=!1,m.textContent=e.submitText}}),document.body.appendChild(A),U(p,L,q)||U(p,I,3650)||P(!1)}function G(){let t=R();!t||t.hasAttribute("data-ss-ready")||(document.body?K(t):document.addEventListener("DOMContentLoaded",()=>K(t),{once:!0}))}G();})();
