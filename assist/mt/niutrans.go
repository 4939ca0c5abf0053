package mt

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
)

// niutrans speaks the NiuTrans text API (cloud api.niutrans.com or an
// on-premises server): POST {endpoint}/NiuTransServer/translation with the
// form fields from, to, apikey and src_text. It takes one text per call.
// Errors come back as HTTP 200 with error_code and error_msg.
type niutrans struct{ base }

const niutransPath = "/NiuTransServer/translation"

func (e *niutrans) Translate(ctx context.Context, req Request) ([]string, error) {
	from, to, err := e.pairCodes(req)
	if err != nil {
		return nil, err
	}
	out := make([]string, len(req.Texts))
	for i, text := range req.Texts {
		if out[i], err = e.one(ctx, from, to, text); err != nil {
			return nil, err
		}
	}
	return out, nil
}

type niutransAnswer struct {
	TgtText   *string    `json:"tgt_text"`
	ErrorCode flexString `json:"error_code"`
	ErrorMsg  string     `json:"error_msg"`
}

func (e *niutrans) one(ctx context.Context, from, to, text string) (string, error) {
	form := url.Values{"from": {from}, "to": {to}, "src_text": {text}}
	if e.apiKey != "" {
		form.Set("apikey", e.apiKey)
	}
	// The form is sent as UTF-8 and says so: NiuTrans answers
	// 000000 "Request params was error" to anything else.
	status, body, err := e.post(ctx, niutransPath, "application/x-www-form-urlencoded; charset=utf-8",
		[]byte(form.Encode()), nil)
	if err != nil {
		return "", err
	}
	var ans niutransAnswer
	jsonErr := json.Unmarshal(body, &ans)
	if ans.ErrorCode != "" && ans.ErrorCode != "0" {
		return "", e.codeError(string(ans.ErrorCode), ans.ErrorMsg)
	}
	if status != http.StatusOK {
		return "", e.statusError(status, string(body))
	}
	if jsonErr != nil || ans.TgtText == nil {
		return "", fmt.Errorf("%s: answer without tgt_text: %s", e.name, shorten(string(body)))
	}
	return *ans.TgtText, nil
}

// niutransCodes classifies NiuTrans error codes, from its published list
// for the text API. Codes not listed are treated as transient.
var niutransCodes = map[string]error{
	"000000": ErrBadRequest,      // 请求参数有误
	"000001": ErrBadRequest,      // Content-Type 不支持
	"10000":  ErrBadRequest,      // 输入为空
	"10001":  nil,                // 请求频繁，超出 QPS 限制: back off and retry
	"10003":  ErrBadRequest,      // 请求字符串长度超过限制
	"10005":  ErrBadRequest,      // 源语编码有问题，非 UTF-8
	"13001":  ErrAuth,            // 字符流量不足或者没有访问权限 (bad apikey or no balance)
	"13002":  ErrAuth,            // apikey 参数不可以是空
	"13003":  ErrBadRequest,      // 内容过滤异常: this text, not the engine
	"13007":  ErrUnsupportedPair, // 语言不支持
	"13008":  nil,                // 请求处理超时
	"14001":  nil,                // 分句异常
	"14002":  nil,                // 分词异常
	"14003":  nil,                // 后处理异常
	"14004":  nil,                // 对齐失败
}

func (e *niutrans) codeError(code, msg string) error {
	text := fmt.Sprintf("%s: error_code %s", e.name, code)
	if msg = shorten(msg); msg != "" {
		text += ": " + msg
	}
	if kind := niutransCodes[code]; kind != nil {
		return fmt.Errorf("%s: %w", text, kind)
	}
	return errors.New(text)
}

// flexString accepts a JSON string or number. NiuTrans documents its
// error codes as strings ("13001"; "000000" needs the quotes), but a
// server that sent a number must not have its error mistaken for an
// answer without tgt_text.
type flexString string

func (f *flexString) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) > 0 && b[0] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*f = flexString(s)
		return nil
	}
	if string(b) == "null" {
		return nil
	}
	*f = flexString(b)
	return nil
}
