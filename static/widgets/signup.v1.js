(()=>{var P=`
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
`;var _={title:"Get our news",description:"Leave your e-mail and we will tell you about new products and offers.",buttonText:"Get updates",emailLabel:"E-mail address",emailPlaceholder:"you@example.com",nameLabel:"Name",submitText:"Sign up",sendingText:"Sending\u2026",successText:"Thank you! You are on the list.",errorText:"Sorry, that did not work. Please try again later.",invalidEmailText:"Please enter a valid e-mail address.",throttledText:"Too many attempts. Please wait a minute and try again.",consentText:"",closeLabel:"Close"},M=30,k="ss-signup:";function R(){return document.currentScript?document.currentScript:document.querySelector('script[src*="signup.v1"]:not([data-ss-ready])')}function U(e){let i={};for(let o of Object.keys(_))i[o]=e[o]!==void 0?e[o]:_[o];return i}function Y(){try{let e=k+"probe";return window.localStorage.setItem(e,"1"),window.localStorage.removeItem(e),window.localStorage}catch(e){return null}}function K(e,i,o){if(!e)return!1;let s=Number(e.getItem(i)||0);return s>0&&Date.now()-s<o*24*60*60*1e3}function n(e,i,o){let s=document.createElement(e);for(let[t,l]of Object.entries(i||{}))l===!1||l===null||l===void 0||(t==="text"?s.textContent=l:s.setAttribute(t,l===!0?"":String(l)));for(let t of o||[])s.appendChild(t);return s}function F(e,i){return!i||/[?&]key=/.test(e)?e:e+(e.indexOf("?")===-1?"?":"&")+"key="+encodeURIComponent(i)}function j(e){e.setAttribute("data-ss-ready","");let i=e.dataset,o=(i.siteKey||"").trim(),s=(i.endpoint||"").trim();if(!s){console.warn("Signup widget: data-endpoint is missing.");return}let t=U(i),l=i.askName==="true",q=Number(i.dismissDays||M),p=Y(),E=k+"dismissed:"+(o||s),L=k+"subscribed:"+(o||s),I=n("div",{"data-seller-suite-widget":"signup"}),A=I.attachShadow({mode:"open"});A.appendChild(n("style",{text:P}));let a="ss"+Math.random().toString(36).slice(2,8),c=n("button",{type:"button",class:"launcher","aria-expanded":"false","aria-controls":a+"-panel",text:t.buttonText}),C=n("button",{type:"button",class:"close","aria-label":t.closeLabel,text:"\xD7"}),d=n("input",{id:a+"-email",name:"email",type:"email",autocomplete:"email",required:!0,placeholder:t.emailPlaceholder,maxlength:"254"}),x=l?n("input",{id:a+"-name",name:"name",type:"text",autocomplete:"name",maxlength:"120"}):null,D=n("input",{name:"website",type:"text",tabindex:"-1",autocomplete:"off","aria-hidden":"true",class:"hp"}),b=t.consentText?n("input",{id:a+"-consent",name:"consent",type:"checkbox"}):null,m=n("button",{type:"submit",class:"submit",text:t.submitText}),w=n("p",{class:"message",role:"status","aria-live":"polite"}),h=[n("label",{for:a+"-email",text:t.emailLabel}),d];x&&h.push(n("label",{for:a+"-name",text:t.nameLabel}),x),b&&h.push(n("label",{class:"consent",for:a+"-consent"},[b,n("span",{text:t.consentText})])),h.push(n("div",{class:"hp","aria-hidden":"true"},[D]),m);let v=n("form",{novalidate:!0},h),g=n("div",{id:a+"-panel",class:"panel",role:"dialog","aria-modal":"false","aria-labelledby":a+"-title",hidden:!0},[C,n("h2",{id:a+"-title",text:t.title}),n("p",{class:"description",text:t.description}),v,w]);A.appendChild(n("div",{class:"widget"},[g,c]));function z(r){g.hidden=!1,c.setAttribute("aria-expanded","true"),c.hidden=!0,r&&d.focus()}function N(r){g.hidden=!0,c.hidden=!1,c.setAttribute("aria-expanded","false"),r&&p&&p.setItem(E,String(Date.now())),c.focus()}function u(r,y){w.textContent=r,w.className="message "+y}c.addEventListener("click",()=>z(!0)),C.addEventListener("click",()=>N(!0)),g.addEventListener("keydown",r=>{r.key==="Escape"&&(r.preventDefault(),N(!0))}),v.addEventListener("submit",async r=>{if(r.preventDefault(),m.disabled)return;let y=d.value.trim();if(!y||!d.checkValidity()){u(t.invalidEmailText,"error"),d.setAttribute("aria-invalid","true"),d.focus();return}d.removeAttribute("aria-invalid"),m.disabled=!0,m.textContent=t.sendingText,u("","");let T={email:y,page_url:window.location.href,website:D.value};x&&(T.name=x.value.trim()),b&&(T.consent=b.checked);let O={"Content-Type":"application/json"};o&&(O["X-Site-Key"]=o);try{let f=await fetch(F(s,o),{method:"POST",mode:"cors",credentials:"omit",headers:O,body:JSON.stringify(T)});if(f.ok){v.hidden=!0,u(t.successText,"success"),p&&p.setItem(L,String(Date.now()));return}let S={};try{S=await f.json()}catch(B){S={}}f.status===429?u(t.throttledText,"error"):f.status===400&&S.code==="invalid_email"?(u(t.invalidEmailText,"error"),d.setAttribute("aria-invalid","true")):u(t.errorText,"error")}catch(f){u(t.errorText,"error")}finally{m.disabled=!1,m.textContent=t.submitText}}),document.body.appendChild(I),K(p,E,q)||K(p,L,3650)||z(!1)}function G(){let e=R();!e||e.hasAttribute("data-ss-ready")||(document.body?j(e):document.addEventListener("DOMContentLoaded",()=>j(e),{once:!0}))}G();})();
